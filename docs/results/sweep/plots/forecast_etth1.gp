set terminal pngcairo size 1000,700 font 'sans,10' noenhanced
set output 'forecast_etth1.png'
set multiplot layout 2,1
set grid
set key outside right top
set xlabel 'last test windows (one step ahead)'
set title "best run on etth1: lstm pruning-zhu-gupta L30 seed 44 clean, MAE 0.4444"
plot 'forecast_etth1.dat' index 0 using 1:2 with lines lw 2 title 'actual', '' index 0 using 1:3 with lines lw 1.5 title 'forecast'
set title "worst run on etth1: paper-patchtst pruning-zhu-gupta L30 seed 42 clean, MAE 2.802"
plot 'forecast_etth1.dat' index 1 using 1:2 with lines lw 2 title 'actual', '' index 1 using 1:3 with lines lw 1.5 title 'forecast'
unset multiplot
unset output
