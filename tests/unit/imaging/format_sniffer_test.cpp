#include "imaging/codecs/format_sniffer.hpp"

#include <gtest/gtest.h>

#include <string>

#include "support/corpus.hpp"

namespace imagesprint {
namespace {

std::vector<std::uint8_t> bytes(const std::string& s) {
  return {s.begin(), s.end()};
}

TEST(FormatSniffer, DetectsTheCorpusByContent) {
  using test::corpus;
  using test::read_bytes;
  EXPECT_EQ(sniff_format(read_bytes(corpus("photos/path-2560x1600.jpg"))), InputFormat::jpeg);
  EXPECT_EQ(sniff_format(read_bytes(corpus("photos/path-2560x1600.png"))), InputFormat::png);
  EXPECT_EQ(sniff_format(read_bytes(corpus("edge/4.webp"))), InputFormat::webp);
  EXPECT_EQ(sniff_format(read_bytes(corpus("edge/animated-loop-3.gif"))), InputFormat::gif);
  EXPECT_EQ(sniff_format(read_bytes(corpus("edge/G31D.TIF"))), InputFormat::tiff);
  EXPECT_EQ(sniff_format(read_bytes(corpus("edge/cielab-dagams.tiff"))), InputFormat::tiff);
  EXPECT_EQ(sniff_format(read_bytes(corpus("edge/pitm.avif"))), InputFormat::avif);
  EXPECT_EQ(sniff_format(read_bytes(corpus("edge/check.svg"))), std::nullopt);
}

TEST(FormatSniffer, NeverTrustsTheNameAndRefusesTheRest) {
  EXPECT_EQ(sniff_format({}), std::nullopt);
  EXPECT_EQ(sniff_format(bytes("hello world")), std::nullopt);
  EXPECT_EQ(sniff_format(bytes("%PDF-1.7")), std::nullopt);
  EXPECT_EQ(sniff_format(bytes("BM")), std::nullopt);  // too short to be a BMP
  EXPECT_EQ(describe_unaccepted({}), "an empty file");
  EXPECT_EQ(describe_unaccepted(bytes("%PDF-1.7 ...")), "PDF");
  EXPECT_EQ(describe_unaccepted(bytes("<?xml version=\"1.0\"?><svg>")), "SVG");
  EXPECT_EQ(describe_unaccepted(bytes("just some text\n")), "text");
}

TEST(FormatSniffer, HeifBrands) {
  auto ftyp = [](const std::string& major, const std::string& compatible) {
    std::string box = std::string("\0\0\0", 3) + char(16 + compatible.size()) + "ftyp" + major +
                      std::string(4, '\0') + compatible;
    return bytes(box);
  };
  EXPECT_EQ(sniff_format(ftyp("heic", "mif1heic")), InputFormat::heic);
  EXPECT_EQ(sniff_format(ftyp("mif1", "mif1heic")), InputFormat::heic);
  EXPECT_EQ(sniff_format(ftyp("mif1", "mif1avif")), InputFormat::avif);
  EXPECT_EQ(sniff_format(ftyp("avif", "")), InputFormat::avif);
  EXPECT_EQ(sniff_format(ftyp("isom", "isomavc1")), std::nullopt);  // an MP4 video
}

TEST(FormatSniffer, ImageSequencesAreToldFromStillImagesByTheirBrands) {
  auto ftyp = [](const std::string& major, const std::string& compatible) {
    std::string box = std::string("\0\0\0", 3) + char(16 + compatible.size()) + "ftyp" + major +
                      std::string(4, '\0') + compatible;
    return bytes(box);
  };
  EXPECT_TRUE(is_image_sequence(ftyp("avis", "avifavismsf1miafMA1B")));
  EXPECT_TRUE(is_image_sequence(ftyp("msf1", "msf1hevc")));
  EXPECT_EQ(sniff_format(ftyp("avis", "avifavismsf1")), InputFormat::avif);
  // Still images and collections of them: avif, heic, mif1.
  EXPECT_FALSE(is_image_sequence(ftyp("avif", "avifmif1miafMA1B")));
  EXPECT_FALSE(is_image_sequence(ftyp("heic", "mif1heic")));
  EXPECT_FALSE(is_image_sequence(bytes("GIF89a")));
  EXPECT_FALSE(is_image_sequence({}));
  EXPECT_FALSE(is_image_sequence(test::read_bytes(test::corpus("edge/pitm.avif"))));
}

}  // namespace
}  // namespace imagesprint
