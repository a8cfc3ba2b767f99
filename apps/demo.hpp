#pragma once
namespace syn::apps {
int run_demo();
}
