#include "imaging/blurhash.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <vector>

namespace imagesprint {
namespace {

constexpr std::string_view BASE83 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";

void append_base83(std::string& out, int value, int digits) {
  for (int i = 1; i <= digits; ++i) {
    int divisor = 1;
    for (int k = 0; k < digits - i; ++k) divisor *= 83;
    out += BASE83[static_cast<std::size_t>((value / divisor) % 83)];
  }
}

double srgb_to_linear(std::uint8_t value) {
  const double v = value / 255.0;
  return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
}

int linear_to_srgb(double value) {
  const double v = std::clamp(value, 0.0, 1.0);
  return v <= 0.0031308 ? static_cast<int>(v * 12.92 * 255 + 0.5)
                        : static_cast<int>((1.055 * std::pow(v, 1 / 2.4) - 0.055) * 255 + 0.5);
}

double sign_pow(double value, double exp) {
  return std::copysign(std::pow(std::abs(value), exp), value);
}

struct Factor {
  double r = 0, g = 0, b = 0;
};

}  // namespace

std::string blurhash_encode(std::span<const std::uint8_t> pixels, int width, int height, int bands,
                            int components_x, int components_y) {
  if (components_x < 1 || components_x > 9 || components_y < 1 || components_y > 9 || width < 1 ||
      height < 1 || bands < 3 || pixels.size() < static_cast<std::size_t>(width) * height * bands) {
    throw std::invalid_argument("blurhash_encode: bad arguments");
  }
  // Linearise once.
  std::vector<double> linear(static_cast<std::size_t>(width) * height * 3);
  for (std::size_t p = 0; p < static_cast<std::size_t>(width) * height; ++p) {
    for (int c = 0; c < 3; ++c) linear[p * 3 + c] = srgb_to_linear(pixels[p * bands + c]);
  }
  std::vector<Factor> factors;
  for (int j = 0; j < components_y; ++j) {
    for (int i = 0; i < components_x; ++i) {
      Factor f;
      for (int y = 0; y < height; ++y) {
        const double basis_y = std::cos(std::numbers::pi * j * y / height);
        for (int x = 0; x < width; ++x) {
          const double basis = basis_y * std::cos(std::numbers::pi * i * x / width);
          const double* px = &linear[(static_cast<std::size_t>(y) * width + x) * 3];
          f.r += basis * px[0];
          f.g += basis * px[1];
          f.b += basis * px[2];
        }
      }
      const double scale = (i == 0 && j == 0 ? 1.0 : 2.0) / (static_cast<double>(width) * height);
      factors.push_back({f.r * scale, f.g * scale, f.b * scale});
    }
  }

  std::string hash;
  append_base83(hash, (components_x - 1) + (components_y - 1) * 9, 1);
  double maximum = 1.0;
  if (factors.size() > 1) {
    double actual = 0;
    for (std::size_t k = 1; k < factors.size(); ++k) {
      actual = std::max(
          {actual, std::abs(factors[k].r), std::abs(factors[k].g), std::abs(factors[k].b)});
    }
    const int quantised = std::clamp(static_cast<int>(std::floor(actual * 166 - 0.5)), 0, 82);
    maximum = (quantised + 1) / 166.0;
    append_base83(hash, quantised, 1);
  } else {
    append_base83(hash, 0, 1);
  }
  const Factor& dc = factors.front();
  append_base83(
      hash, (linear_to_srgb(dc.r) << 16) + (linear_to_srgb(dc.g) << 8) + linear_to_srgb(dc.b), 4);
  for (std::size_t k = 1; k < factors.size(); ++k) {
    auto quant = [&](double v) {
      return std::clamp(static_cast<int>(std::floor(sign_pow(v / maximum, 0.5) * 9 + 9.5)), 0, 18);
    };
    append_base83(
        hash, quant(factors[k].r) * 19 * 19 + quant(factors[k].g) * 19 + quant(factors[k].b), 2);
  }
  return hash;
}

}  // namespace imagesprint
