set terminal pngcairo size 1000,520 font 'sans,10' noenhanced
set output 'lookback_etth1_paper.png'
set title "MAE against lookback: etth1, protocol paper"
set xlabel 'lookback (rows)'
set ylabel 'test MAE (original units)'
set key outside right top
set grid
plot 'lookback_etth1_paper.dat' index 0 using 1:2 with linespoints title "lstm dropout", 'lookback_etth1_paper.dat' index 1 using 1:2 with linespoints title "lstm none", 'lookback_etth1_paper.dat' index 2 using 1:2 with linespoints title "lstm pruning", 'lookback_etth1_paper.dat' index 3 using 1:2 with linespoints title "paper-patchtst dropout", 'lookback_etth1_paper.dat' index 4 using 1:2 with linespoints title "paper-patchtst none", 'lookback_etth1_paper.dat' index 5 using 1:2 with linespoints title "paper-patchtst pruning", 'lookback_etth1_paper.dat' index 6 using 1:2 with linespoints title "rnn dropout", 'lookback_etth1_paper.dat' index 7 using 1:2 with linespoints title "rnn none", 'lookback_etth1_paper.dat' index 8 using 1:2 with linespoints title "rnn pruning"
unset output
