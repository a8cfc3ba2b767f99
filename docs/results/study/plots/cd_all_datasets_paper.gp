set terminal pngcairo size 900,240 font 'sans,10' noenhanced
set output 'cd_all_datasets_paper.png'
set title "Average ranks (1 = lowest MAE): all datasets, protocol paper; 24 blocks; Nemenyi CD = 0.677; Friedman p = 0.0395"
unset key
unset ytics
set border 0
set xrange [3.5:0.5]
set yrange [-3.7:2.6]
set xtics axis nomirror 1 offset 0,1.4
set xzeroaxis lt -1 lw 1.5
set arrow from 1.625,0 to 1.625,-1.5 nohead lw 1.5
set arrow from 1.625,-1.5 to 0.6,-1.5 nohead lw 1.5
set label "none (1.63)" at 0.6,-1.5 right offset -0.5,0.5
set arrow from 2.02083,0 to 2.02083,-2.4 nohead lw 1.5
set arrow from 2.02083,-2.4 to 0.6,-2.4 nohead lw 1.5
set label "dropout (2.02)" at 0.6,-2.4 right offset -0.5,0.5
set arrow from 2.35417,0 to 2.35417,-1.5 nohead lw 1.5
set arrow from 2.35417,-1.5 to 3.4,-1.5 nohead lw 1.5
set label "pruning (2.35)" at 3.4,-1.5 left offset 0.5,0.5
set arrow from 3.4,2.0 to 2.72343,2.0 heads size 0.05,90 lw 2
set label 'CD' at 3.06172,2.3 center
set arrow from 1.595,-0.45 to 2.05083,-0.45 nohead lw 5 lc rgb 'black'
set arrow from 1.99083,-0.65 to 2.38417,-0.65 nohead lw 5 lc rgb 'black'
plot NaN

unset output
