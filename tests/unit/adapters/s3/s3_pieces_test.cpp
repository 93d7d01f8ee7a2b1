// The small parts of the S3 adapter, without a server: the Content-Disposition of downloads, the
// XML answers, the retry policy, addressing, the ETag check of bodies.
#include <gtest/gtest.h>

#include "adapters/s3/content_disposition.hpp"
#include "adapters/s3/etag_check.hpp"
#include "adapters/s3/retry_policy.hpp"
#include "adapters/s3/s3_endpoint.hpp"
#include "adapters/s3/s3_object_info.hpp"
#include "adapters/s3/s3_xml.hpp"
#include "domain/untrusted_text.hpp"

namespace imagesprint::s3 {
namespace {

TEST(AttachmentDisposition, PlainNamesAreQuoted) {
  EXPECT_EQ(attachment_disposition("photo 1.webp"), "attachment; filename=\"photo 1.webp\"");
  EXPECT_EQ(attachment_disposition("a;b=c.png"), "attachment; filename=\"a;b=c.png\"");
  EXPECT_EQ(attachment_disposition(""), "attachment");
}

TEST(AttachmentDisposition, OtherNamesGetAnRfc5987Form) {
  EXPECT_EQ(attachment_disposition("사진.jpg"),
            "attachment; filename=\"__.jpg\"; filename*=UTF-8''%EC%82%AC%EC%A7%84.jpg");
  EXPECT_EQ(attachment_disposition("say \"hi\".png"),
            "attachment; filename=\"say _hi_.png\"; filename*=UTF-8''say%20%22hi%22.png");
  EXPECT_EQ(attachment_disposition("100%.gif"),
            "attachment; filename=\"100_.gif\"; filename*=UTF-8''100%25.gif");
  EXPECT_EQ(attachment_disposition("a\\b\r\n.jpg"),
            "attachment; filename=\"a_b__.jpg\"; filename*=UTF-8''a%5Cb%0D%0A.jpg");
  EXPECT_EQ(attachment_disposition("it's.webp"), "attachment; filename=\"it's.webp\"");
}

TEST(S3Xml, ListAnswer) {
  const std::string xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult><Name>b</Name><KeyCount>2</KeyCount><IsTruncated>true</IsTruncated>
<Contents><Key>a&amp;b</Key><LastModified>2009-10-12T17:50:30.000Z</LastModified>
<ETag>&quot;fba9dede5f27731c9771645a39863328&quot;</ETag><Size>434234</Size></Contents>
<Contents><Key>c</Key><ETag>"x-2"</ETag><Size>1</Size></Contents>
<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
</ListBucketResult>)";
  const auto contents = xml_elements(xml, "Contents");
  ASSERT_EQ(contents.size(), 2u);
  EXPECT_EQ(xml_text(contents[0], "Key"), "a&b");
  EXPECT_EQ(unquoted_etag(*xml_text(contents[0], "ETag")), "fba9dede5f27731c9771645a39863328");
  EXPECT_EQ(xml_text(contents[1], "Size"), "1");
  EXPECT_EQ(xml_text(xml, "KeyCount"), "2") << "<Key> is not <KeyCount>";
  EXPECT_EQ(xml_text(xml, "IsTruncated"), "true");
  EXPECT_EQ(xml_text(xml, "NextContinuationToken"),
            "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
  EXPECT_EQ(xml_text(xml, "Missing"), std::nullopt);
  EXPECT_EQ(parse_s3_time(*xml_text(contents[0], "LastModified")), 1255369830000);
}

TEST(S3Xml, EntitiesAndEscaping) {
  EXPECT_EQ(xml_unescape("&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#xAC00;&bogus;&"),
            "<>&\"'AB\xEA\xB0\x80&bogus;&");
  EXPECT_EQ(xml_unescape(escape_markup("\"a\" <b> & 'c'")), "\"a\" <b> & 'c'");
  EXPECT_EQ(xml_text("<Error><Code>SlowDown</Code><Message/></Error>", "Message"), "");
}

TEST(RetryPolicy, WhatIsRetried) {
  for (const long status : {408L, 429L, 500L, 502L, 503L, 504L}) {
    EXPECT_TRUE(retryable_status(status)) << status;
  }
  for (const long status : {200L, 204L, 206L, 304L, 400L, 403L, 404L, 405L, 412L, 416L, 501L}) {
    EXPECT_FALSE(retryable_status(status)) << status;
  }
  EXPECT_TRUE(retryable_transport_error(7));    // CURLE_COULDNT_CONNECT
  EXPECT_TRUE(retryable_transport_error(28));   // CURLE_OPERATION_TIMEDOUT
  EXPECT_TRUE(retryable_transport_error(52));   // CURLE_GOT_NOTHING
  EXPECT_TRUE(retryable_transport_error(56));   // CURLE_RECV_ERROR
  EXPECT_FALSE(retryable_transport_error(3));   // CURLE_URL_MALFORMAT
  EXPECT_FALSE(retryable_transport_error(60));  // CURLE_PEER_FAILED_VERIFICATION
}

TEST(RetryPolicy, FullJitterUnderAnExponentialCap) {
  using std::chrono::milliseconds;
  EXPECT_EQ(backoff_delay(1, milliseconds(100), milliseconds(5000), 1.0), milliseconds(100));
  EXPECT_EQ(backoff_delay(2, milliseconds(100), milliseconds(5000), 1.0), milliseconds(200));
  EXPECT_EQ(backoff_delay(4, milliseconds(100), milliseconds(5000), 1.0), milliseconds(800));
  EXPECT_EQ(backoff_delay(10, milliseconds(100), milliseconds(5000), 1.0), milliseconds(5000));
  EXPECT_EQ(backoff_delay(100, milliseconds(100), milliseconds(5000), 1.0), milliseconds(5000));
  EXPECT_EQ(backoff_delay(3, milliseconds(100), milliseconds(5000), 0.5), milliseconds(200));
  EXPECT_EQ(backoff_delay(3, milliseconds(100), milliseconds(5000), 0.0), milliseconds(0));
}

S3ObjectStoreConfig config(std::string endpoint, bool path_style, std::string prefix = "") {
  S3ObjectStoreConfig c;
  c.endpoint = std::move(endpoint);
  c.bucket = "my-bucket";
  c.prefix = std::move(prefix);
  c.path_style = path_style;
  return c;
}

TEST(S3Endpoint, PathStyle) {
  const S3Endpoint endpoint(config("http://127.0.0.1:9000", true, "tenant/a"));
  EXPECT_EQ(endpoint.host(), "127.0.0.1:9000");
  EXPECT_EQ(endpoint.object_path("jobs/j/in/0"), "/my-bucket/tenant/a/jobs/j/in/0");
  EXPECT_EQ(endpoint.bucket_path(), "/my-bucket");
  EXPECT_EQ(endpoint.our_key("tenant/a/jobs/x"), "jobs/x");
  EXPECT_EQ(endpoint.url(endpoint.object_path("k"), "a=b"),
            "http://127.0.0.1:9000/my-bucket/tenant/a/k?a=b");
}

TEST(S3Endpoint, VirtualHostedStyle) {
  const S3Endpoint endpoint(config("https://S3.eu-west-3.amazonaws.com:443/", false));
  EXPECT_EQ(endpoint.host(), "my-bucket.s3.eu-west-3.amazonaws.com") << "default port dropped";
  EXPECT_EQ(endpoint.object_path("jobs/j/in/0"), "/jobs/j/in/0");
  EXPECT_EQ(endpoint.bucket_path(), "/");
  EXPECT_EQ(endpoint.url("/k", ""), "https://my-bucket.s3.eu-west-3.amazonaws.com/k");
  const S3Endpoint aws(config("", false));
  EXPECT_EQ(aws.host(), "my-bucket.s3.us-east-1.amazonaws.com");
}

TEST(EtagCheck, ComparesSinglePartMd5Etags) {
  S3Response answer;
  EXPECT_EQ(md5_hex({}), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_TRUE(body_matches_etag(answer, "5d41402abc4b2a76b9719d911017c592", "hello"));
  EXPECT_TRUE(body_matches_etag(answer, "5D41402ABC4B2A76B9719D911017C592", "hello"));
  EXPECT_FALSE(body_matches_etag(answer, "5d41402abc4b2a76b9719d911017c592", "hellO"));
  EXPECT_FALSE(body_matches_etag(answer, "", "hello")) << "S3 always sends an ETag";
  EXPECT_TRUE(body_matches_etag(answer, "5d41402abc4b2a76b9719d911017c592-3", "x"))
      << "a multipart ETag is no MD5 of the bytes";
  answer.headers.emplace_back("x-amz-server-side-encryption", "aws:kms");
  EXPECT_TRUE(body_matches_etag(answer, "00000000000000000000000000000000", "x"))
      << "SSE-KMS ETags are no MD5 of the bytes";
}

}  // namespace
}  // namespace imagesprint::s3
