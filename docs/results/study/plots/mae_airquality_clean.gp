set terminal pngcairo size 1000,520 font 'sans,10' noenhanced
set output 'mae_airquality_clean.png'
set title "Test MAE by regulariser: airquality, protocol clean (mean over seeds, 95% CI)"
set style data histograms
set style histogram errorbars gap 1 lw 1
set style fill solid 0.7 border -1
set ylabel 'MAE (original units)'
set yrange [0:*]
set xtics rotate by -25
set key outside right top
set grid ytics
plot 'mae_airquality_clean.dat' using 2:3:xtic(1) title "dropout", 'mae_airquality_clean.dat' using 4:5 title "none", 'mae_airquality_clean.dat' using 6:7 title "pruning"
unset output
