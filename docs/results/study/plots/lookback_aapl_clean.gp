set terminal pngcairo size 1000,520 font 'sans,10' noenhanced
set output 'lookback_aapl_clean.png'
set title "MAE against lookback: aapl, protocol clean"
set xlabel 'lookback (rows)'
set ylabel 'test MAE (original units)'
set key outside right top
set grid
plot 'lookback_aapl_clean.dat' index 0 using 1:2 with linespoints title "lstm dropout", 'lookback_aapl_clean.dat' index 1 using 1:2 with linespoints title "lstm none", 'lookback_aapl_clean.dat' index 2 using 1:2 with linespoints title "lstm pruning", 'lookback_aapl_clean.dat' index 3 using 1:2 with linespoints title "paper-patchtst dropout", 'lookback_aapl_clean.dat' index 4 using 1:2 with linespoints title "paper-patchtst none", 'lookback_aapl_clean.dat' index 5 using 1:2 with linespoints title "paper-patchtst pruning", 'lookback_aapl_clean.dat' index 6 using 1:2 with linespoints title "rnn dropout", 'lookback_aapl_clean.dat' index 7 using 1:2 with linespoints title "rnn none", 'lookback_aapl_clean.dat' index 8 using 1:2 with linespoints title "rnn pruning"
unset output
