set terminal pngcairo size 900,360 font 'sans,10' noenhanced
set output 'cd_etth1_clean.png'
set title "Average ranks (1 = lowest MAE): etth1, protocol clean; 3 blocks; Nemenyi CD = 4.35; Friedman p = 0.955"
unset key
unset ytics
set border 0
set xrange [6.5:0.5]
set yrange [-4.6:2.6]
set xtics axis nomirror 1 offset 0,1.4
set xzeroaxis lt -1 lw 1.5
set arrow from 2.66667,0 to 2.66667,-1.5 nohead lw 1.5
set arrow from 2.66667,-1.5 to 0.6,-1.5 nohead lw 1.5
set label "pruning-zhu-gupta final_sparsity=0.95 (2.67)" at 0.6,-1.5 right offset -0.5,0.5
set arrow from 3.33333,0 to 3.33333,-2.4 nohead lw 1.5
set arrow from 3.33333,-2.4 to 0.6,-2.4 nohead lw 1.5
set label "pruning-zhu-gupta final_sparsity=0.98 (3.33)" at 0.6,-2.4 right offset -0.5,0.5
set arrow from 3.33333,0 to 3.33333,-3.3 nohead lw 1.5
set arrow from 3.33333,-3.3 to 0.6,-3.3 nohead lw 1.5
set label "pruning-zhu-gupta final_sparsity=0.5 (3.33)" at 0.6,-3.3 right offset -0.5,0.5
set arrow from 3.66667,0 to 3.66667,-1.5 nohead lw 1.5
set arrow from 3.66667,-1.5 to 6.4,-1.5 nohead lw 1.5
set label "pruning-zhu-gupta final_sparsity=0.9 (3.67)" at 6.4,-1.5 left offset 0.5,0.5
set arrow from 4,0 to 4,-2.4 nohead lw 1.5
set arrow from 4,-2.4 to 6.4,-2.4 nohead lw 1.5
set label "none (4)" at 6.4,-2.4 left offset 0.5,0.5
set arrow from 4,0 to 4,-3.3 nohead lw 1.5
set arrow from 4,-3.3 to 6.4,-3.3 nohead lw 1.5
set label "pruning-zhu-gupta final_sparsity=0.8 (4)" at 6.4,-3.3 left offset 0.5,0.5
set arrow from 6.4,2.0 to 2.047,2.0 heads size 0.05,90 lw 2
set label 'CD' at 4.2235,2.3 center
set arrow from 2.63667,-0.45 to 4.03,-0.45 nohead lw 5 lc rgb 'black'
plot NaN

unset output
