set terminal pngcairo size 1000,480 font 'sans,10' noenhanced
set output 'sparsity_curve_bitcoin.png'
set title "Sparsity over training (mean over runs still training): bitcoin"
set xlabel 'epoch'
set xtics 1
set ylabel 'sparsity of the pruned weights'
set yrange [0:1]
set key outside right top
set grid
plot 'sparsity_curve_bitcoin.dat' index 0 using 1:2 with linespoints title "lstm pruning", 'sparsity_curve_bitcoin.dat' index 1 using 1:2 with linespoints title "paper-patchtst pruning", 'sparsity_curve_bitcoin.dat' index 2 using 1:2 with linespoints title "rnn pruning"
unset output
