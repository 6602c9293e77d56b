#pragma once
// Saving and loading a module's parameters: nn::save(model, path), nn::load(model, path).
//
// Format "tapeless parameters", version 1 (all integers little-endian):
//   magic     8 bytes  "TLPARAMS"
//   version   u32      1
//   count     u32      number of parameters
//   count times:
//     name_length u32, name (UTF-8, no terminator)
//     dtype       u8   1 = float32, 2 = float64
//     rank        u8
//     extents     u64 × rank
//     data        element count × dtype size bytes, row-major, IEEE 754 little-endian
//   checksum  u64      FNV-1a 64 of every byte before it
//
// load() reads and checks the whole file before it changes anything: a file that is truncated,
// corrupt (checksum), of another version, or whose parameters differ from the module's in
// names, dtypes or extents throws nn::serialization_error naming the file and the parameter,
// and the module keeps its values. Gradients are not saved; load() leaves them alone.
#include <bit>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "../core/tensor_view.hpp"
#include "../graph/descriptor.hpp"
#include "module.hpp"

namespace tapeless::nn {

class serialization_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace detail {

static_assert(std::endian::native == std::endian::little, "tapeless::nn::save: the file format is little-endian");

inline constexpr char file_magic[8] = {'T', 'L', 'P', 'A', 'R', 'A', 'M', 'S'};
inline constexpr std::uint32_t file_version = 1;

/// FNV-1a 64 of the bytes: the graph's hash of text, applied to the file's body.
inline std::uint64_t fnv1a(const char* data, std::size_t n) { return graph::detail::hash_text(std::string_view(data, n)); }

template <class T>
std::uint8_t dtype_code() {
  return std::is_same_v<T, float> ? 1 : 2;
}

inline std::string_view dtype_of_code(std::uint8_t c) {
  return c == 1 ? "float32" : c == 2 ? "float64" : "an unknown dtype";
}

class writer {
 public:
  template <class T>
  void put(const T& v) {
    const char* p = reinterpret_cast<const char*>(&v);
    bytes.insert(bytes.end(), p, p + sizeof(T));
  }
  void put_bytes(const void* p, std::size_t n) {
    const char* c = static_cast<const char*>(p);
    bytes.insert(bytes.end(), c, c + n);
  }
  std::vector<char> bytes;
};

class reader {
 public:
  reader(const std::vector<char>& b, std::size_t end, const std::string& path) : bytes_(b), end_(end), path_(path) {}
  template <class T>
  T get(const char* what) {
    T v{};
    need(sizeof(T), what);
    std::memcpy(&v, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }
  const char* take(std::size_t n, const char* what) {
    need(n, what);
    const char* p = bytes_.data() + pos_;
    pos_ += n;
    return p;
  }
  [[nodiscard]] std::size_t position() const { return pos_; }

 private:
  void need(std::size_t n, const char* what) {
    if (n > end_ - pos_)
      throw serialization_error("tapeless::nn::load: " + path_ + ": the file ends inside " + what + " (truncated)");
  }
  const std::vector<char>& bytes_;
  std::size_t end_;
  std::size_t pos_ = 0;
  const std::string& path_;
};

}  // namespace detail

/// Writes the module's parameter values to `path` (format above); throws serialization_error
/// if the file cannot be written.
template <class Net>
void save(const module<Net>& model, const std::string& path) {
  detail::writer w;
  w.put_bytes(detail::file_magic, sizeof detail::file_magic);
  w.put(detail::file_version);
  w.put(static_cast<std::uint32_t>(module<Net>::size));
  model.for_each_parameter([&](const auto& p) {
    using P = std::remove_cvref_t<decltype(p)>;
    w.put(static_cast<std::uint32_t>(P::name.size()));
    w.put_bytes(P::name.data(), P::name.size());
    w.put(detail::dtype_code<typename P::value_type>());
    w.put(static_cast<std::uint8_t>(P::rank));
    for (std::size_t e : P::extents()) w.put(static_cast<std::uint64_t>(e));
    w.put_bytes(p.value.data(), p.value.size() * sizeof(typename P::value_type));
  });
  w.put(detail::fnv1a(w.bytes.data(), w.bytes.size()));
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw serialization_error("tapeless::nn::save: cannot open " + path + " for writing");
  out.write(w.bytes.data(), static_cast<std::streamsize>(w.bytes.size()));
  out.close();
  if (!out) throw serialization_error("tapeless::nn::save: writing " + path + " failed");
}

/// Reads parameter values saved by nn::save into the module. Everything is checked before any
/// value is changed; on an error the module is unchanged and serialization_error says why.
template <class Net>
void load(module<Net>& model, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw serialization_error("tapeless::nn::load: cannot open " + path);
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string where = "tapeless::nn::load: " + path + ": ";
  if (bytes.size() < sizeof detail::file_magic || std::memcmp(bytes.data(), detail::file_magic, sizeof detail::file_magic) != 0)
    throw serialization_error(where + "not a tapeless parameter file (no TLPARAMS header)");
  if (bytes.size() < sizeof detail::file_magic + 8 + 8)
    throw serialization_error(where + "the file is truncated");
  const std::size_t body = bytes.size() - sizeof(std::uint64_t);
  detail::reader r(bytes, body, path);
  (void)r.take(sizeof detail::file_magic, "the header");
  const auto version = r.get<std::uint32_t>("the version");
  if (version != detail::file_version)
    throw serialization_error(where + "format version " + std::to_string(version) + ", but this build reads version " +
                              std::to_string(detail::file_version));
  std::uint64_t stored_sum = 0;
  std::memcpy(&stored_sum, bytes.data() + body, sizeof stored_sum);
  if (stored_sum != detail::fnv1a(bytes.data(), body))
    throw serialization_error(where + "checksum mismatch: the file is truncated or corrupt");
  const auto count = r.get<std::uint32_t>("the parameter count");
  if (count != module<Net>::size)
    throw serialization_error(where + "the file holds " + std::to_string(count) + " parameters, the model has " +
                              std::to_string(module<Net>::size));

  // First pass: check every entry against the model's parameter of the same position and name,
  // remembering where its data is. Nothing is written yet.
  std::vector<const char*> data(module<Net>::size, nullptr);
  std::size_t index = 0;
  model.for_each_parameter([&](const auto& p) {
    using P = std::remove_cvref_t<decltype(p)>;
    using T = typename P::value_type;
    const auto name_length = r.get<std::uint32_t>("a parameter name");
    const std::string name(r.take(name_length, "a parameter name"), name_length);
    if (name != P::name)
      throw serialization_error(where + "parameter " + std::to_string(index) + " is \"" + name + "\" in the file, but \"" +
                                std::string(P::name) + "\" in the model");
    const auto code = r.get<std::uint8_t>("a dtype");
    if (code != detail::dtype_code<T>())
      throw serialization_error(where + "parameter \"" + name + "\" is " + std::string(detail::dtype_of_code(code)) +
                                " in the file, but " + std::string(dtype_name<T>) + " in the model");
    const auto rank = r.get<std::uint8_t>("a rank");
    std::vector<std::size_t> file_extents(rank);
    for (auto& e : file_extents) e = static_cast<std::size_t>(r.get<std::uint64_t>("the extents"));
    const auto model_extents = P::extents();
    bool same = rank == P::rank;
    for (std::size_t d = 0; same && d < P::rank; ++d) same = file_extents[d] == model_extents[d];
    if (!same)
      throw serialization_error(where + "parameter \"" + name + "\" has extents " +
                                tapeless::detail::format_extents(file_extents.data(), rank) + " in the file, but " +
                                tapeless::detail::format_extents(model_extents.data(), P::rank) + " in the model");
    data[index++] = r.take(p.value.size() * sizeof(T), "parameter data");
  });
  if (r.position() != body) throw serialization_error(where + "unexpected bytes after the last parameter");

  // Second pass: every check passed; copy the values.
  index = 0;
  model.for_each_parameter([&](auto& p) {
    std::memcpy(p.value.data(), data[index++], p.value.size() * sizeof(typename std::remove_cvref_t<decltype(p)>::value_type));
  });
}

}  // namespace tapeless::nn
