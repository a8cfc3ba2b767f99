set terminal pngcairo size 1000,700 font 'sans,10' noenhanced
set output 'forecast_airquality.png'
set multiplot layout 2,1
set grid
set key outside right top
set xlabel 'last test windows (one step ahead)'
set title "best run on airquality: lstm pruning-zhu-gupta L30 seed 44 clean, MAE 0.3817"
plot 'forecast_airquality.dat' index 0 using 1:2 with lines lw 2 title 'actual', '' index 0 using 1:3 with lines lw 1.5 title 'forecast'
set title "worst run on airquality: paper-patchtst pruning-zhu-gupta L30 seed 43 clean, MAE 0.651"
plot 'forecast_airquality.dat' index 1 using 1:2 with lines lw 2 title 'actual', '' index 1 using 1:3 with lines lw 1.5 title 'forecast'
unset multiplot
unset output
