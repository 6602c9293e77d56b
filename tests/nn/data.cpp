// tapeless::nn data handling: CSV parsing and its messages, the committed digits table,
// minibatches of shuffled indices, gathering rows into a batch, and train/test splits.
#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <numeric>
#include <ranges>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tapeless/nn/data.hpp>
#include <vector>
#include <xtensor/xarray.hpp>
#include <xtensor/xtensor.hpp>
#include <xtensor/xview.hpp>

namespace nn = tapeless::nn;
using Catch::Matchers::Contains;
using Catch::Matchers::Equals;

namespace {

template <class T = double>
xt::xtensor<T, 2> parse(const std::string& text, nn::csv_options opt = {}) {
  std::istringstream in(text);
  return nn::read_csv<T>(in, "x.csv", opt);
}

std::string parse_error(const std::string& text, nn::csv_options opt = {}, bool as_float = false) {
  try {
    if (as_float)
      (void)parse<float>(text, opt);
    else
      (void)parse<double>(text, opt);
  } catch (const nn::data_error& e) {
    return e.what();
  }
  return "no exception";
}

std::vector<std::size_t> iota_vector(std::size_t n) {
  std::vector<std::size_t> v(n);
  std::iota(v.begin(), v.end(), std::size_t{0});
  return v;
}

bool is_permutation_of_iota(std::vector<std::size_t> v, std::size_t n) {
  std::sort(v.begin(), v.end());
  return v == iota_vector(n);
}

}  // namespace

// ---- CSV ---------------------------------------------------------------------------------------

TEST_CASE("read_csv parses rows of numbers", "[nn][data][csv]") {
  const auto table = parse("1,2,3\n4.5,-6,1e-3\n");
  REQUIRE(table.shape() == std::array<std::size_t, 2>{2, 3});
  CHECK(table(0, 0) == 1.0);
  CHECK(table(0, 2) == 3.0);
  CHECK(table(1, 0) == 4.5);
  CHECK(table(1, 1) == -6.0);
  CHECK(table(1, 2) == 0.001);

  const auto single = parse<float>("0.1");
  REQUIRE(single.shape() == std::array<std::size_t, 2>{1, 1});
  CHECK(single(0, 0) == 0.1f);  // rounded once, from the text
}

TEST_CASE("read_csv allows spaces around fields, CRLF, a leading '+' and blank lines at the end", "[nn][data][csv]") {
  const auto table = parse(" 1 ,\t2,3  \r\n+4,  5\t,-6\r\n\n  \n\r\n");
  REQUIRE(table.shape() == std::array<std::size_t, 2>{2, 3});
  CHECK(table(0, 0) == 1.0);
  CHECK(table(0, 1) == 2.0);
  CHECK(table(0, 2) == 3.0);
  CHECK(table(1, 0) == 4.0);
  CHECK(table(1, 1) == 5.0);
  CHECK(table(1, 2) == -6.0);

  const auto no_final_newline = parse("7,8\n9,10");
  CHECK(no_final_newline(1, 1) == 10.0);
  const auto byte_order_mark = parse("\xEF\xBB\xBF" "11,12\n");
  CHECK(byte_order_mark(0, 0) == 11.0);

  // std::from_chars reads "nan" and "inf".
  const auto special = parse("nan,inf,-inf\n");
  CHECK(std::isnan(special(0, 0)));
  CHECK(special(0, 1) == INFINITY);
  CHECK(special(0, 2) == -INFINITY);
}

TEST_CASE("read_csv skips rows and a header, and takes another delimiter", "[nn][data][csv]") {
  const auto with_header = parse("a,b\n1,2\n", {.header = true});
  REQUIRE(with_header.shape() == std::array<std::size_t, 2>{1, 2});
  CHECK(with_header(0, 1) == 2.0);

  const auto skipped = parse("# exported 2024\n# by hand\nx;y;z\n1;2;3\n4;5;6\n",
                             {.delimiter = ';', .skip_rows = 2, .header = true});
  REQUIRE(skipped.shape() == std::array<std::size_t, 2>{2, 3});
  CHECK(skipped(1, 2) == 6.0);

  // Line numbers in messages count the skipped lines.
  CHECK_THAT(parse_error("a,b\n1,2\n3,x\n", {.header = true}), Contains("x.csv:3:"));
  const auto tabs = parse("1\t2\n3\t4\n", {.delimiter = '\t'});
  CHECK(tabs(1, 0) == 3.0);
}

TEST_CASE("read_csv errors name the file, the line and what is wrong", "[nn][data][csv]") {
  CHECK_THAT(parse_error("1,2,3\n4,5,6\n7,abc,9\n"),
             Equals("tapeless::nn::read_csv: x.csv:3: field 2 is \"abc\", not a number"));
  CHECK_THAT(parse_error("1,2,3\n4,5\n"), Equals("tapeless::nn::read_csv: x.csv:2: 2 fields, but line 1 has 3"));
  CHECK_THAT(parse_error("a,b,c\n1,2,3\n4,5,6,7\n", {.header = true}),
             Equals("tapeless::nn::read_csv: x.csv:3: 4 fields, but line 2 has 3"));
  CHECK_THAT(parse_error("1,2,\n"), Equals("tapeless::nn::read_csv: x.csv:1: field 3 is empty"));
  CHECK_THAT(parse_error("1,2\n\n3,4\n"), Equals("tapeless::nn::read_csv: x.csv:2: blank line before the end of the data"));
  CHECK_THAT(parse_error("1.5x\n"), Contains("x.csv:1: field 1 is \"1.5x\", not a number"));
  CHECK_THAT(parse_error("1,2\n3,4 5\n"), Contains("x.csv:2: field 2 is \"4 5\", not a number"));
  CHECK_THAT(parse_error("1e999\n"), Contains("x.csv:1: field 1 is \"1e999\", out of the range of double"));
  CHECK_THAT(parse_error("1e-50\n", {}, true), Contains("x.csv:1: field 1 is \"1e-50\", out of the range of float"));
  CHECK_THAT(parse_error("1e39\n", {}, true), Contains("x.csv:1: field 1 is \"1e39\", out of the range of float"));
  CHECK_THAT(parse_error("+-1\n"), Contains("x.csv:1: field 1 is \"+-1\", not a number"));
  CHECK_THAT(parse_error(""), Equals("tapeless::nn::read_csv: x.csv: no data rows"));
  CHECK_THAT(parse_error("a,b\n\n", {.header = true}), Equals("tapeless::nn::read_csv: x.csv: no data rows"));
  CHECK_THAT(parse_error("1,2\n3,4\n", {.delimiter = ';'}), Contains("x.csv:1: field 1 is \"1,2\", not a number"));

  // A long field is cut short in the message.
  const std::string long_field(100, 'z');
  CHECK_THAT(parse_error(long_field), Contains("field 1 is \"" + std::string(32, 'z') + "...\", not a number"));

  std::istringstream in("1,2\n");
  CHECK_THROWS_AS(nn::read_csv<float>(in, "y.csv", {.header = true}), nn::data_error);
}

TEST_CASE("read_csv reports a file it cannot open", "[nn][data][csv]") {
  const std::string path = TAPELESS_TEST_DATA_DIR "/no_such_file.csv";
  CHECK_THROWS_AS(nn::read_csv(path), std::runtime_error);
  CHECK_THROWS_WITH(nn::read_csv(path), Equals("tapeless::nn::read_csv: " + path + ": cannot open file"));
}

TEST_CASE("the digits table: 1797 images of 64 pixels in 0..16 and a label in 0..9", "[nn][data][csv]") {
  const auto digits = nn::read_csv(TAPELESS_TEST_DATA_DIR "/digits.csv");
  REQUIRE(digits.shape() == std::array<std::size_t, 2>{1797, 65});

  std::array<std::size_t, 10> per_class{};
  for (std::size_t i = 0; i < 1797; ++i) {
    for (std::size_t j = 0; j < 64; ++j) {
      const double pixel = digits(i, j);
      REQUIRE(pixel == std::floor(pixel));
      REQUIRE(pixel >= 0.0);
      REQUIRE(pixel <= 16.0);
    }
    const double label = digits(i, 64);
    REQUIRE(label == std::floor(label));
    REQUIRE(label >= 0.0);
    REQUIRE(label <= 9.0);
    ++per_class[static_cast<std::size_t>(label)];
  }
  for (std::size_t count : per_class) {
    CHECK(count >= 170);
    CHECK(count <= 190);
  }
  // Both ends of the range occur.
  const auto pixels = xt::view(digits, xt::all(), xt::range(0, 64));
  CHECK(*std::max_element(pixels.begin(), pixels.end()) == 16.0);
  CHECK(*std::min_element(pixels.begin(), pixels.end()) == 0.0);
  // The first image as load_digits() returns it: a zero, its top row 0,0,5,13,9,1,0,0.
  const std::array<double, 8> top_row{0, 0, 5, 13, 9, 1, 0, 0};
  for (std::size_t j = 0; j < 8; ++j) CHECK(digits(0, j) == top_row[j]);
  CHECK(digits(0, 64) == 0.0);

  const auto as_float = nn::read_csv<float>(TAPELESS_TEST_DATA_DIR "/digits.csv");
  CHECK(std::equal(as_float.begin(), as_float.end(), digits.begin()));
}

// ---- minibatches -------------------------------------------------------------------------------

TEST_CASE("minibatches: each epoch is a permutation in batches, the last one partial", "[nn][data][batches]") {
  nn::generator gen(21);
  nn::minibatches batches(10, 3, gen);
  CHECK(batches.size() == 4);
  CHECK(batches.batch_size() == 3);
  CHECK(batches.examples() == 10);

  std::vector<std::vector<std::size_t>> epochs;
  for (int epoch = 0; epoch < 3; ++epoch) {
    std::vector<std::size_t> sizes, seen;
    const auto range = batches.epoch();
    CHECK(range.size() == 4);
    std::size_t position = 0;
    for (std::span<const std::size_t> batch : range) {
      sizes.push_back(batch.size());
      // Batches are views into the one order the object holds: nothing is allocated per batch.
      CHECK(batch.data() == batches.order().data() + position);
      position += batch.size();
      seen.insert(seen.end(), batch.begin(), batch.end());
    }
    CHECK(sizes == std::vector<std::size_t>{3, 3, 3, 1});
    CHECK(is_permutation_of_iota(seen, 10));
    epochs.push_back(seen);
  }
  CHECK(epochs[0] != epochs[1]);
  CHECK(epochs[1] != epochs[2]);
  CHECK(epochs[0] != iota_vector(10));

  // Each epoch's order is randperm's from the same generator state.
  nn::generator a(22), b(22);
  nn::minibatches from_a(50, 7, a);
  (void)from_a.epoch();
  (void)from_a.epoch();
  (void)nn::randperm(50, b);
  const auto expected = nn::randperm(50, b);
  CHECK(std::equal(from_a.order().begin(), from_a.order().end(), expected.begin(), expected.end()));
}

TEST_CASE("an epoch is a sized forward range of index spans", "[nn][data][batches]") {
  using range = decltype(std::declval<nn::minibatches&>().epoch());
  STATIC_REQUIRE(std::ranges::forward_range<range>);
  STATIC_REQUIRE(std::ranges::common_range<range>);
  STATIC_REQUIRE(std::same_as<std::ranges::range_value_t<range>, std::span<const std::size_t>>);
}

TEST_CASE("minibatches: every order of the examples is equally likely", "[nn][data][batches]") {
  nn::generator gen(23);
  nn::minibatches batches(4, 4, gen);
  constexpr std::size_t epochs = 48000;
  std::map<std::vector<std::size_t>, std::size_t> orders;
  for (std::size_t e = 0; e < epochs; ++e) {
    for (std::span<const std::size_t> batch : batches.epoch()) ++orders[{batch.begin(), batch.end()}];
  }
  REQUIRE(orders.size() == 24);
  const double p = 1.0 / 24;
  for (const auto& [order, count] : orders)
    CHECK(std::abs(static_cast<double>(count) / epochs - p) < 5 * std::sqrt(p * (1 - p) / epochs));
}

TEST_CASE("minibatches: drop_last, shuffle = false, small and empty data", "[nn][data][batches]") {
  nn::generator gen(24);
  nn::minibatches dropped(10, 3, gen, {.drop_last = true});
  CHECK(dropped.size() == 3);
  std::size_t batches_seen = 0;
  for (std::span<const std::size_t> batch : dropped.epoch()) {
    CHECK(batch.size() == 3);
    ++batches_seen;
  }
  CHECK(batches_seen == 3);

  nn::minibatches in_order(7, 3, gen, {.shuffle = false});
  std::vector<std::vector<std::size_t>> seen;
  for (int epoch = 0; epoch < 2; ++epoch)
    for (std::span<const std::size_t> batch : in_order.epoch()) seen.emplace_back(batch.begin(), batch.end());
  const std::vector<std::vector<std::size_t>> expected{{0, 1, 2}, {3, 4, 5}, {6}, {0, 1, 2}, {3, 4, 5}, {6}};
  CHECK(seen == expected);

  nn::minibatches one_partial(5, 8, gen);
  CHECK(one_partial.size() == 1);
  for (std::span<const std::size_t> batch : one_partial.epoch()) CHECK(batch.size() == 5);
  CHECK(nn::minibatches(5, 8, gen, {.drop_last = true}).size() == 0);
  CHECK(nn::minibatches(0, 8, gen).size() == 0);
  auto empty = nn::minibatches(0, 8, gen);
  const auto range = empty.epoch();
  CHECK(range.begin() == range.end());
  CHECK(nn::minibatches(9, 3, gen).size() == 3);

  CHECK_THROWS_AS(nn::minibatches(10, 0, gen), std::invalid_argument);
  CHECK_THROWS_WITH(nn::minibatches(10, 0, gen), Contains("tapeless::nn::minibatches: batch size is 0"));
}

TEST_CASE("minibatches without shuffling draw nothing from the generator", "[nn][data][batches]") {
  nn::generator gen(25), reference(25);
  nn::minibatches in_order(100, 10, gen, {.shuffle = false});
  for (int epoch = 0; epoch < 3; ++epoch)
    for (auto batch : in_order.epoch()) (void)batch;
  CHECK(gen.next_u32() == reference.next_u32());
}

// ---- gather_rows ---------------------------------------------------------------------------------

TEST_CASE("gather_rows copies the listed rows into a batch", "[nn][data][gather]") {
  xt::xtensor<double, 2> table({5, 3});
  for (std::size_t i = 0; i < 5; ++i)
    for (std::size_t j = 0; j < 3; ++j) table(i, j) = 10.0 * static_cast<double>(i) + static_cast<double>(j);

  const std::array<std::size_t, 3> rows{4, 0, 4};
  xt::xtensor<double, 2> batch({3, 3});
  nn::gather_rows(table, rows, batch);
  const xt::xtensor<double, 2> expected = {{40, 41, 42}, {0, 1, 2}, {40, 41, 42}};
  CHECK((batch == expected));

  // 1-D labels, into an xtensor, a std::vector or a span.
  const xt::xtensor<float, 1> labels = {0.5f, 1.5f, 2.5f, 3.5f, 4.5f};
  auto label_batch = xt::xtensor<float, 1>::from_shape({3});
  nn::gather_rows(labels, rows, label_batch);
  CHECK((label_batch == xt::xtensor<float, 1>{4.5f, 0.5f, 4.5f}));
  std::vector<float> label_vector(3);
  nn::gather_rows(labels, rows, label_vector);
  CHECK(label_vector == std::vector<float>{4.5f, 0.5f, 4.5f});
  std::vector<float> memory(5, -1.0f);
  nn::gather_rows(labels, std::span(rows).first(2), std::span(memory).subspan(1, 2));
  CHECK(memory == std::vector<float>{-1.0f, 4.5f, 0.5f, -1.0f, -1.0f});

  // 3-D images: each row is a 2 x 2 block.
  xt::xarray<int> images = xt::arange<int>(12);
  images.reshape({3, 2, 2});
  xt::xtensor<int, 3> image_batch({2, 2, 2});
  const std::array<std::size_t, 2> picks{2, 1};
  nn::gather_rows(images, picks, image_batch);
  CHECK((image_batch == xt::xtensor<int, 3>{{{8, 9}, {10, 11}}, {{4, 5}, {6, 7}}}));

  // No rows: nothing to do.
  xt::xtensor<double, 2> none({0, 3});
  nn::gather_rows(table, std::span<const std::size_t>{}, none);
  CHECK(none.size() == 0);
}

TEST_CASE("gather_rows with a minibatch, into a dense row of a larger buffer", "[nn][data][gather]") {
  const xt::xtensor<double, 2> table = {{1, 2}, {3, 4}, {5, 6}, {7, 8}};
  nn::generator gen(26);
  nn::minibatches batches(4, 2, gen);
  xt::xtensor<double, 2> batch({2, 2});
  double total = 0;
  for (std::span<const std::size_t> rows : batches.epoch()) {
    nn::gather_rows(table, rows, batch);
    for (std::size_t k = 0; k < rows.size(); ++k) {
      CHECK(batch(k, 0) == table(rows[k], 0));
      CHECK(batch(k, 1) == table(rows[k], 1));
    }
    total += xt::sum(batch)();
  }
  CHECK(total == 36.0);
}

TEST_CASE("gather_rows rejects wrong shapes and out-of-range rows", "[nn][data][gather]") {
  const xt::xtensor<double, 2> table = xt::zeros<double>({5, 3});
  const std::array<std::size_t, 2> rows{1, 2};

  xt::xtensor<double, 2> too_many({3, 3});
  CHECK_THROWS_AS(nn::gather_rows(table, rows, too_many), std::invalid_argument);
  CHECK_THROWS_WITH(nn::gather_rows(table, rows, too_many),
                    Equals("tapeless::nn::gather_rows: src is 5 x 3, dst is 3 x 3, for 2 rows; dst must be (number "
                           "of rows) x (src's other extents)"));
  xt::xtensor<double, 2> narrow({2, 2});
  CHECK_THROWS_WITH(nn::gather_rows(table, rows, narrow), Contains("src is 5 x 3, dst is 2 x 2, for 2 rows"));
  auto flat = xt::xtensor<double, 1>::from_shape({6});
  CHECK_THROWS_WITH(nn::gather_rows(table, rows, flat), Contains("src is 5 x 3, dst is 6; they need the same rank"));

  const std::array<std::size_t, 2> past_end{1, 5};
  xt::xtensor<double, 2> batch({2, 3});
  CHECK_THROWS_AS(nn::gather_rows(table, past_end, batch), std::out_of_range);
  CHECK_THROWS_WITH(nn::gather_rows(table, past_end, batch),
                    Equals("tapeless::nn::gather_rows: row index 5 (at position 1) is out of range for src of 5 x 3"));

  xt::xtensor<double, 2> wide({3, 2});
  auto first_rows = xt::view(wide, xt::range(0, 2), xt::all());  // dense, but 2 x 2
  CHECK_THROWS_WITH(nn::gather_rows(table, rows, first_rows), Contains("src is 5 x 3, dst is 2 x 2"));
  xt::xtensor<double, 2> transposed_target({3, 2});
  auto strided = xt::transpose(transposed_target);
  CHECK_THROWS_WITH(nn::gather_rows(table, rows, strided), Contains("dense row-major storage"));
}

// ---- split_indices ----------------------------------------------------------------------------------

TEST_CASE("split_indices: a shuffled train/test split of ceil(fraction * n) test indices", "[nn][data][split]") {
  nn::generator gen(27), same(27), other(28);
  const auto split = nn::split_indices(1797, 0.2, gen);
  // The sizes scikit-learn's train_test_split(range(1797), test_size=0.2) gives.
  CHECK(split.test.size() == 360);
  CHECK(split.train.size() == 1437);
  std::vector<std::size_t> all = split.test;
  all.insert(all.end(), split.train.begin(), split.train.end());
  CHECK(is_permutation_of_iota(all, 1797));
  CHECK(!std::is_sorted(split.test.begin(), split.test.end()));

  const auto repeated = nn::split_indices(1797, 0.2, same);
  CHECK(repeated.test == split.test);
  CHECK(repeated.train == split.train);
  CHECK(nn::split_indices(1797, 0.2, other).test != split.test);

  CHECK(nn::split_indices(10, 0.3, gen).test.size() == 3);
  CHECK(nn::split_indices(10, 0.25, gen).test.size() == 3);
  CHECK(nn::split_indices(7, 0.5, gen).test.size() == 4);
  CHECK(nn::split_indices(10, 0.0, gen).test.empty());
  CHECK(nn::split_indices(10, 1.0, gen).train.empty());

  CHECK_THROWS_AS(nn::split_indices(10, 1.5, gen), std::invalid_argument);
  CHECK_THROWS_WITH(nn::split_indices(10, -0.1, gen), Contains("tapeless::nn::split_indices: test fraction is -0.1"));
  CHECK_THROWS_WITH(nn::split_indices(10, std::nan(""), gen), Contains("test fraction is nan"));
}
