set terminal pngcairo size 1000,700 font 'sans,10' noenhanced
set output 'forecast_bitcoin.png'
set multiplot layout 2,1
set grid
set key outside right top
set xlabel 'last test windows (one step ahead)'
set title "best run on bitcoin: rnn dropout L7 seed 44 paper, MAE 2197"
plot 'forecast_bitcoin.dat' index 0 using 1:2 with lines lw 2 title 'actual', '' index 0 using 1:3 with lines lw 1.5 title 'forecast'
set title "worst run on bitcoin: paper-patchtst pruning L30 seed 43 paper, MAE 1.785e+04"
plot 'forecast_bitcoin.dat' index 1 using 1:2 with lines lw 2 title 'actual', '' index 1 using 1:3 with lines lw 1.5 title 'forecast'
unset multiplot
unset output
