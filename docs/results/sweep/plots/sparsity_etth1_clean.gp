set terminal pngcairo size 1000,520 font 'sans,10' noenhanced
set output 'sparsity_etth1_clean.png'
set title "MAE against sparsity: etth1, protocol clean"
set xlabel 'final sparsity of the schedule (dense model at 0)'
set ylabel 'test MAE (original units)'
set key outside right top
set grid
plot 'sparsity_etth1_clean.dat' index 0 using 1:2 with linespoints title "lstm L30 dense (none)", 'sparsity_etth1_clean.dat' index 1 using 1:2 with linespoints title "lstm L30 pruning-zhu-gupta", 'sparsity_etth1_clean.dat' index 2 using 1:2 with linespoints title "paper-patchtst L30 dense (none)", 'sparsity_etth1_clean.dat' index 3 using 1:2 with linespoints title "paper-patchtst L30 pruning-zhu-gupta", 'sparsity_etth1_clean.dat' index 4 using 1:2 with linespoints title "rnn L30 dense (none)", 'sparsity_etth1_clean.dat' index 5 using 1:2 with linespoints title "rnn L30 pruning-zhu-gupta"
unset output
