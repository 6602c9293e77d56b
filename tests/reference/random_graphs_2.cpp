// Random graphs 80 to 119 (seeds 1080 to 1119).
#include <catch2/catch.hpp>

#include "random_graphs.hpp"

TEST_CASE("random graphs 80-119 against LibTorch and finite differences", "[reference][random]") {
  tapeless::testing::check_random_graphs<double, 1080, 40>();
}
