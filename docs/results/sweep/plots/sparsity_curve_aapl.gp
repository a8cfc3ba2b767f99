set terminal pngcairo size 1000,480 font 'sans,10' noenhanced
set output 'sparsity_curve_aapl.png'
set title "Sparsity over training (mean over runs still training): aapl"
set xlabel 'epoch'
set xtics 1
set ylabel 'sparsity of the pruned weights'
set yrange [0:1]
set key outside right top
set grid
plot 'sparsity_curve_aapl.dat' index 0 using 1:2 with linespoints title "lstm pruning-zhu-gupta final=0.5", 'sparsity_curve_aapl.dat' index 1 using 1:2 with linespoints title "lstm pruning-zhu-gupta final=0.8", 'sparsity_curve_aapl.dat' index 2 using 1:2 with linespoints title "lstm pruning-zhu-gupta final=0.9", 'sparsity_curve_aapl.dat' index 3 using 1:2 with linespoints title "lstm pruning-zhu-gupta final=0.95", 'sparsity_curve_aapl.dat' index 4 using 1:2 with linespoints title "lstm pruning-zhu-gupta final=0.98", 'sparsity_curve_aapl.dat' index 5 using 1:2 with linespoints title "paper-patchtst pruning-zhu-gupta final=0.5", 'sparsity_curve_aapl.dat' index 6 using 1:2 with linespoints title "paper-patchtst pruning-zhu-gupta final=0.8", 'sparsity_curve_aapl.dat' index 7 using 1:2 with linespoints title "paper-patchtst pruning-zhu-gupta final=0.9", 'sparsity_curve_aapl.dat' index 8 using 1:2 with linespoints title "paper-patchtst pruning-zhu-gupta final=0.95", 'sparsity_curve_aapl.dat' index 9 using 1:2 with linespoints title "paper-patchtst pruning-zhu-gupta final=0.98", 'sparsity_curve_aapl.dat' index 10 using 1:2 with linespoints title "rnn pruning-zhu-gupta final=0.5", 'sparsity_curve_aapl.dat' index 11 using 1:2 with linespoints title "rnn pruning-zhu-gupta final=0.8", 'sparsity_curve_aapl.dat' index 12 using 1:2 with linespoints title "rnn pruning-zhu-gupta final=0.9", 'sparsity_curve_aapl.dat' index 13 using 1:2 with linespoints title "rnn pruning-zhu-gupta final=0.95", 'sparsity_curve_aapl.dat' index 14 using 1:2 with linespoints title "rnn pruning-zhu-gupta final=0.98"
unset output
