set terminal pngcairo size 1000,520 font 'sans,10' noenhanced
set output 'step_time_bitcoin_clean.png'
set title "Step time against sparsity: bitcoin, protocol clean"
set xlabel 'final sparsity of the schedule (dense model at 0)'
set ylabel 'training step (ms)'
set key outside right top
set grid
plot 'step_time_bitcoin_clean.dat' index 0 using 1:2 with linespoints title "lstm L30 dense (none)", 'step_time_bitcoin_clean.dat' index 1 using 1:2 with linespoints title "lstm L30 pruning-zhu-gupta", 'step_time_bitcoin_clean.dat' index 2 using 1:2 with linespoints title "paper-patchtst L30 dense (none)", 'step_time_bitcoin_clean.dat' index 3 using 1:2 with linespoints title "paper-patchtst L30 pruning-zhu-gupta", 'step_time_bitcoin_clean.dat' index 4 using 1:2 with linespoints title "rnn L30 dense (none)", 'step_time_bitcoin_clean.dat' index 5 using 1:2 with linespoints title "rnn L30 pruning-zhu-gupta"
unset output
