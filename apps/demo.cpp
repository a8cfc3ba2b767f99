#include "demo.hpp"
namespace syn::apps {
int run_demo() { return 0; }
}
