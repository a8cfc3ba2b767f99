set terminal pngcairo size 900,240 font 'sans,10' noenhanced
set output 'cd_etth1_clean.png'
set title "Average ranks (1 = lowest MAE): etth1, protocol clean; 6 blocks; Nemenyi CD = 1.35; Friedman p = 0.0094"
unset key
unset ytics
set border 0
set xrange [3.5:0.5]
set yrange [-3.7:2.6]
set xtics axis nomirror 1 offset 0,1.4
set xzeroaxis lt -1 lw 1.5
set arrow from 1.33333,0 to 1.33333,-1.5 nohead lw 1.5
set arrow from 1.33333,-1.5 to 0.6,-1.5 nohead lw 1.5
set label "none (1.33)" at 0.6,-1.5 right offset -0.5,0.5
set arrow from 1.66667,0 to 1.66667,-2.4 nohead lw 1.5
set arrow from 1.66667,-2.4 to 0.6,-2.4 nohead lw 1.5
set label "dropout (1.67)" at 0.6,-2.4 right offset -0.5,0.5
set arrow from 3,0 to 3,-1.5 nohead lw 1.5
set arrow from 3,-1.5 to 3.4,-1.5 nohead lw 1.5
set label "pruning (3)" at 3.4,-1.5 left offset 0.5,0.5
set arrow from 3.4,2.0 to 2.04686,2.0 heads size 0.05,90 lw 2
set label 'CD' at 2.72343,2.3 center
set arrow from 1.30333,-0.45 to 1.69667,-0.45 nohead lw 5 lc rgb 'black'
set arrow from 1.63667,-0.65 to 3.03,-0.65 nohead lw 5 lc rgb 'black'
plot NaN

unset output
