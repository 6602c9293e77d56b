#pragma once
// Data handling for training: a CSV reader, shuffled minibatches of example indices, a row
// gather into a preallocated batch, and a train/test split of indices.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <fstream>
#include <istream>
#include <iterator>
#include <numeric>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <tapeless/nn/random.hpp>
#include <type_traits>
#include <vector>
#include <xtensor/xtensor.hpp>

namespace tapeless::nn {

/// A data file that cannot be read or parsed.
class data_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// ---- CSV ---------------------------------------------------------------------------------------

struct csv_options {
  char delimiter = ',';
  std::size_t skip_rows = 0;  // lines skipped first
  bool header = false;        // one more line skipped after them
};

namespace detail {

// A field as quoted in a message, cut short if it is long.
inline std::string quoted_field(std::string_view field) {
  constexpr std::size_t shown = 32;
  if (field.size() <= shown) return '"' + std::string(field) + '"';
  return '"' + std::string(field.substr(0, shown)) + "...\"";
}

inline bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t") == std::string_view::npos;
}

inline std::string_view trim(std::string_view text, char delimiter) {
  auto blank = [delimiter](char c) { return (c == ' ' || c == '\t') && c != delimiter; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace detail

/// Reads a table of numbers, one row a line. `name` stands for the stream in messages, which
/// give it with the 1-based line number: "tapeless::nn::read_csv: x.csv:3: field 2 is ...".
/// Fields may have spaces or tabs around them; numbers are read by std::from_chars (so "inf"
/// and "nan" are numbers; a leading '+' is allowed), and one that T cannot hold, too large or
/// so small that it would round to 0, is an error; a line ending in "\r" is read without it;
/// blank lines may only come after the last row.
template <detail::float_or_double T = double>
[[nodiscard]] xt::xtensor<T, 2> read_csv(std::istream& in, const std::string& name, csv_options opt = {}) {
  const std::string where = "tapeless::nn::read_csv: " + name + ":";
  auto fail = [&](std::size_t line, const std::string& what) -> data_error {
    return data_error(where + std::to_string(line) + ": " + what);
  };

  std::vector<T> values;
  std::size_t columns = 0, rows = 0, first_row_line = 0, blank_line = 0, line_number = 0;
  const std::size_t skipped = opt.skip_rows + (opt.header ? 1 : 0);
  std::string line;
  while (std::getline(in, line)) {
    ++line_number;
    if (line_number == 1 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);  // a UTF-8 byte order mark
    if (line_number <= skipped) continue;
    std::string_view text(line);
    if (text.ends_with('\r')) text.remove_suffix(1);
    if (detail::is_blank(text)) {
      if (blank_line == 0) blank_line = line_number;
      continue;
    }
    if (blank_line != 0) throw fail(blank_line, "blank line before the end of the data");

    std::size_t field_count = 0;
    for (std::size_t start = 0;;) {
      const std::size_t end = std::min(text.find(opt.delimiter, start), text.size());
      ++field_count;
      const std::string_view field = detail::trim(text.substr(start, end - start), opt.delimiter);
      auto field_label = [&] { return "field " + std::to_string(field_count); };
      if (field.empty()) throw fail(line_number, field_label() + " is empty");
      const char* first = field.data();
      const char* last = field.data() + field.size();
      if (*first == '+' && field.size() > 1 && first[1] != '-') ++first;
      T value{};
      const auto [ptr, error] = std::from_chars(first, last, value);
      if (error == std::errc::result_out_of_range)
        throw fail(line_number, field_label() + " is " + detail::quoted_field(field) + ", out of the range of " +
                                    detail::type_name<T>());
      if (error != std::errc{} || ptr != last)
        throw fail(line_number, field_label() + " is " + detail::quoted_field(field) + ", not a number");
      values.push_back(value);
      if (end == text.size()) break;
      start = end + 1;
    }
    if (rows == 0) {
      columns = field_count;
      first_row_line = line_number;
    } else if (field_count != columns) {
      throw fail(line_number, std::to_string(field_count) + " fields, but line " + std::to_string(first_row_line) +
                                  " has " + std::to_string(columns));
    }
    ++rows;
  }
  if (in.bad()) throw data_error(where + " read error after line " + std::to_string(line_number));
  if (rows == 0) throw data_error(where + " no data rows");

  xt::xtensor<T, 2> table({rows, columns});
  std::copy(values.begin(), values.end(), table.data());
  return table;
}

/// Reads a CSV file (see the stream overload); the path stands for it in messages.
template <detail::float_or_double T = double>
[[nodiscard]] xt::xtensor<T, 2> read_csv(const std::string& path, csv_options opt = {}) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw data_error("tapeless::nn::read_csv: " + path + ": cannot open file");
  return read_csv<T>(file, path, opt);
}

// ---- minibatches -------------------------------------------------------------------------------

struct minibatch_options {
  bool shuffle = true;     // a new random order each epoch; false keeps 0, 1, ..., n-1
  bool drop_last = false;  // drop a last batch smaller than the batch size
};

/// The batches of example indices for one epoch after another, as torch.utils.data.DataLoader
/// with a RandomSampler: each call to epoch() restarts from 0, ..., n-1, shuffles it with the
/// generator (Fisher-Yates, see nn::shuffle) and returns the range of its batches, each a
/// std::span<const std::size_t> into the order held here. The order is allocated once, in the
/// constructor; the generator is held by reference and must outlive this object.
///
///   nn::minibatches batches(x.shape()[0], 64, gen);
///   for (int epoch = 0; epoch < 10; ++epoch)
///     for (std::span<const std::size_t> batch : batches.epoch()) ...
class minibatches {
 public:
  class iterator {
   public:
    using value_type = std::span<const std::size_t>;
    using difference_type = std::ptrdiff_t;
    using iterator_concept = std::forward_iterator_tag;
    using iterator_category = std::input_iterator_tag;  // batches are values, not references

    iterator() = default;
    [[nodiscard]] value_type operator*() const {
      const std::size_t begin = batch_ * owner_->batch_size_;
      const std::size_t end = std::min(begin + owner_->batch_size_, owner_->order_.size());
      return value_type(owner_->order_.data() + begin, end - begin);
    }
    iterator& operator++() {
      ++batch_;
      return *this;
    }
    iterator operator++(int) {
      iterator before = *this;
      ++batch_;
      return before;
    }
    [[nodiscard]] friend bool operator==(const iterator& a, const iterator& b) {
      return a.owner_ == b.owner_ && a.batch_ == b.batch_;
    }

   private:
    friend class minibatches;
    iterator(const minibatches* owner, std::size_t batch) : owner_(owner), batch_(batch) {}
    const minibatches* owner_ = nullptr;
    std::size_t batch_ = 0;
  };

  class range {
   public:
    [[nodiscard]] iterator begin() const { return iterator(owner_, 0); }
    [[nodiscard]] iterator end() const { return iterator(owner_, owner_->size()); }
    [[nodiscard]] std::size_t size() const { return owner_->size(); }

   private:
    friend class minibatches;
    explicit range(const minibatches* owner) : owner_(owner) {}
    const minibatches* owner_;
  };

  minibatches(std::size_t examples, std::size_t batch_size, generator& gen = default_generator(),
              minibatch_options opt = {})
      : order_(examples), batch_size_(batch_size), gen_(&gen), opt_(opt) {
    if (batch_size == 0) throw std::invalid_argument("tapeless::nn::minibatches: batch size is 0; it must be at least 1");
    std::iota(order_.begin(), order_.end(), std::size_t{0});
  }

  /// Reorders the examples for a new epoch and returns its batches. A range returned before
  /// sees the new order.
  [[nodiscard]] range epoch() {
    if (opt_.shuffle) {
      std::iota(order_.begin(), order_.end(), std::size_t{0});
      shuffle(std::span<std::size_t>(order_), *gen_);
    }
    return range(this);
  }

  /// Batches per epoch.
  [[nodiscard]] std::size_t size() const noexcept {
    const std::size_t whole = order_.size() / batch_size_;
    return opt_.drop_last || order_.size() % batch_size_ == 0 ? whole : whole + 1;
  }
  [[nodiscard]] std::size_t batch_size() const noexcept { return batch_size_; }
  [[nodiscard]] std::size_t examples() const noexcept { return order_.size(); }
  /// This epoch's order of all examples (including those a dropped last batch leaves out).
  [[nodiscard]] std::span<const std::size_t> order() const noexcept { return order_; }

 private:
  std::vector<std::size_t> order_;
  std::size_t batch_size_;
  generator* gen_;
  minibatch_options opt_;
};

// ---- gathering rows ------------------------------------------------------------------------------

namespace detail {

// The rank and extents of a container with shape() (xtensor), or of a 1-D one with size().
template <class C>
std::size_t rank_of(const C& c) {
  if constexpr (requires { c.shape(); })
    return static_cast<std::size_t>(c.shape().size());
  else
    return 1;
}

template <class C>
std::size_t extent_of(const C& c, std::size_t axis) {
  if constexpr (requires { c.shape(); })
    return static_cast<std::size_t>(c.shape()[axis]);
  else
    return static_cast<std::size_t>(c.size());
}

template <class C>
std::string extents_text(const C& c) {
  std::string text;
  for (std::size_t axis = 0; axis < rank_of(c); ++axis)
    text += (axis == 0 ? "" : " x ") + std::to_string(extent_of(c, axis));
  return text.empty() ? "a scalar" : text;
}

}  // namespace detail

/// Copies the rows (first-axis slices) src[rows[0]], src[rows[1]], ... into dst, whose first
/// extent is rows.size() and whose other extents are src's: a batch of examples from a table
/// (2-D), of labels (1-D) or of images (3-D). Both are dense row-major storage of the same
/// element type (xt::xtensor, xt::xarray, or for 1-D std::vector and std::span). Allocates
/// nothing; a bad shape is std::invalid_argument, a row index past src's std::out_of_range.
template <class Src, class Dst>
void gather_rows(const Src& src, std::span<const std::size_t> rows, Dst&& dst) {
  using value = std::remove_cv_t<std::remove_pointer_t<decltype(src.data())>>;
  static_assert(std::is_same_v<std::remove_pointer_t<decltype(dst.data())>, value>,
                "tapeless::nn::gather_rows: src and dst must hold the same element type, and dst must be "
                "writable; convert the source once (e.g. read_csv<float>) rather than each batch");
  const std::string_view where = "tapeless::nn::gather_rows: ";
  auto shapes = [&] { return "src is " + detail::extents_text(src) + ", dst is " + detail::extents_text(dst); };
  const std::size_t rank = detail::rank_of(src);
  if (rank == 0 || detail::rank_of(dst) != rank)
    throw std::invalid_argument(std::string(where) + shapes() + "; they need the same rank, at least 1");
  if (!detail::is_dense(src, false) || !detail::is_dense(dst, false))
    throw std::invalid_argument(std::string(where) + "src and dst must be dense row-major storage, not strided views");

  std::size_t row_size = 1;
  bool same_rows = detail::extent_of(dst, 0) == rows.size();
  for (std::size_t axis = 1; axis < rank; ++axis) {
    same_rows = same_rows && detail::extent_of(src, axis) == detail::extent_of(dst, axis);
    row_size *= detail::extent_of(src, axis);
  }
  if (!same_rows)
    throw std::invalid_argument(std::string(where) + shapes() + ", for " + std::to_string(rows.size()) +
                                " rows; dst must be (number of rows) x (src's other extents)");
  const std::size_t src_rows = detail::extent_of(src, 0);
  for (std::size_t k = 0; k < rows.size(); ++k)
    if (rows[k] >= src_rows)
      throw std::out_of_range(std::string(where) + "row index " + std::to_string(rows[k]) + " (at position " +
                              std::to_string(k) + ") is out of range for src of " + detail::extents_text(src));

  const value* from = src.data() + detail::offset_of(src);
  value* to = dst.data() + detail::offset_of(dst);
  for (std::size_t k = 0; k < rows.size(); ++k)
    std::copy_n(from + rows[k] * row_size, row_size, to + k * row_size);
}

// ---- train/test split ----------------------------------------------------------------------------

struct index_split {
  std::vector<std::size_t> train;
  std::vector<std::size_t> test;
};

/// sklearn.model_selection.train_test_split on indices: a random permutation of 0, ..., n-1
/// (nn::randperm), its first ceil(test_fraction * n) entries for testing, the rest for training.
[[nodiscard]] inline index_split split_indices(std::size_t n, double test_fraction, generator& gen = default_generator()) {
  if (!(test_fraction >= 0.0 && test_fraction <= 1.0))
    throw std::invalid_argument("tapeless::nn::split_indices: test fraction is " + detail::number_text(test_fraction) +
                                "; it must be in [0, 1]");
  const auto test_size = std::min(n, static_cast<std::size_t>(std::ceil(test_fraction * static_cast<double>(n))));
  std::vector<std::size_t> order = randperm(n, gen);
  index_split split;
  split.test.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(test_size));
  split.train.assign(order.begin() + static_cast<std::ptrdiff_t>(test_size), order.end());
  return split;
}

}  // namespace tapeless::nn
