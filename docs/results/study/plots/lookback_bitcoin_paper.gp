set terminal pngcairo size 1000,520 font 'sans,10' noenhanced
set output 'lookback_bitcoin_paper.png'
set title "MAE against lookback: bitcoin, protocol paper"
set xlabel 'lookback (rows)'
set ylabel 'test MAE (original units)'
set key outside right top
set grid
plot 'lookback_bitcoin_paper.dat' index 0 using 1:2 with linespoints title "lstm dropout", 'lookback_bitcoin_paper.dat' index 1 using 1:2 with linespoints title "lstm none", 'lookback_bitcoin_paper.dat' index 2 using 1:2 with linespoints title "lstm pruning", 'lookback_bitcoin_paper.dat' index 3 using 1:2 with linespoints title "paper-patchtst dropout", 'lookback_bitcoin_paper.dat' index 4 using 1:2 with linespoints title "paper-patchtst none", 'lookback_bitcoin_paper.dat' index 5 using 1:2 with linespoints title "paper-patchtst pruning", 'lookback_bitcoin_paper.dat' index 6 using 1:2 with linespoints title "rnn dropout", 'lookback_bitcoin_paper.dat' index 7 using 1:2 with linespoints title "rnn none", 'lookback_bitcoin_paper.dat' index 8 using 1:2 with linespoints title "rnn pruning"
unset output
