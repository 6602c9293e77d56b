// Each leaf has its own name (and both have one dtype).
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto w64 = tl::param<"w">;
constexpr auto v64 = tl::param<"v">;

double evaluate() { return tl::value(w64 * v64, w64 = 1.0, v64 = 2.0); }
