#include "adapters/sql/records_migrations.hpp"

namespace imagesprint {

const std::vector<std::string>& records_migrations() {
  static const std::vector<std::string> MIGRATIONS{
      // 1: accounts.
      R"(CREATE TABLE users (
           id {ID},
           email VARCHAR(254) NOT NULL UNIQUE,
           password_hash VARCHAR(255) NOT NULL,
           created_at BIGINT NOT NULL){TABLE};
         CREATE TABLE sessions (
           id VARCHAR(64) PRIMARY KEY,
           user_id BIGINT NOT NULL,
           token_hash CHAR(64) NOT NULL,
           expires_at BIGINT NOT NULL){TABLE};
         CREATE INDEX sessions_expiry ON sessions(expires_at);
         CREATE TABLE api_keys (
           id {ID},
           user_id BIGINT NOT NULL,
           name VARCHAR(100) NOT NULL,
           prefix VARCHAR(32) NOT NULL UNIQUE,
           key_hash CHAR(64) NOT NULL,
           created_at BIGINT NOT NULL,
           last_used_at BIGINT){TABLE};
         CREATE INDEX api_keys_user ON api_keys(user_id);)",
      // 2: jobs and their images.
      R"(CREATE TABLE jobs (
           id VARCHAR(64) PRIMARY KEY,
           user_id BIGINT NOT NULL,
           name VARCHAR(255) NOT NULL,
           status VARCHAR(16) NOT NULL,
           options {TEXT} NOT NULL,
           total INTEGER NOT NULL,
           done INTEGER NOT NULL DEFAULT 0,
           failed INTEGER NOT NULL DEFAULT 0,
           bytes_in BIGINT NOT NULL DEFAULT 0,
           bytes_out BIGINT NOT NULL DEFAULT 0,
           has_watermark_image INTEGER NOT NULL DEFAULT 0,
           idempotency_key VARCHAR(200),
           created_at BIGINT NOT NULL,
           started_at BIGINT,
           finished_at BIGINT,
           expires_at BIGINT){TABLE};
         CREATE INDEX jobs_user_created ON jobs(user_id, created_at, id);
         CREATE UNIQUE INDEX jobs_idempotency ON jobs(user_id, idempotency_key);
         CREATE INDEX jobs_expiry ON jobs(expires_at);
         CREATE TABLE images (
           job_id VARCHAR(64) NOT NULL,
           idx INTEGER NOT NULL,
           source_name VARCHAR(1024) NOT NULL,
           output_name VARCHAR(255) NOT NULL DEFAULT '',
           status VARCHAR(16) NOT NULL,
           error_code VARCHAR(64) NOT NULL DEFAULT '',
           error_message VARCHAR(1024) NOT NULL DEFAULT '',
           bytes_in BIGINT NOT NULL DEFAULT 0,
           bytes_out BIGINT NOT NULL DEFAULT 0,
           input_width INTEGER NOT NULL DEFAULT 0,
           input_height INTEGER NOT NULL DEFAULT 0,
           width INTEGER NOT NULL DEFAULT 0,
           height INTEGER NOT NULL DEFAULT 0,
           format VARCHAR(16) NOT NULL DEFAULT '',
           quality_used INTEGER,
           blurhash VARCHAR(64) NOT NULL DEFAULT '',
           attempts INTEGER NOT NULL DEFAULT 0,
           finished_at BIGINT,
           PRIMARY KEY (job_id, idx)){TABLE};)",
      // 3: notifications.
      R"(CREATE TABLE notifications (
           id {ID},
           user_id BIGINT NOT NULL,
           type VARCHAR(32) NOT NULL,
           job_id VARCHAR(64) NOT NULL DEFAULT '',
           message VARCHAR(1024) NOT NULL,
           is_read INTEGER NOT NULL DEFAULT 0,
           created_at BIGINT NOT NULL){TABLE};
         CREATE INDEX notifications_user ON notifications(user_id, id);)",
      // 4: webhooks, their deliveries (written before the first attempt) and every attempt.
      R"(CREATE TABLE webhooks (
           id {ID},
           user_id BIGINT NOT NULL,
           type VARCHAR(16) NOT NULL,
           url VARCHAR(2048) NOT NULL,
           events VARCHAR(255) NOT NULL,
           secret VARCHAR(255) NOT NULL DEFAULT '',
           previous_secret VARCHAR(255) NOT NULL DEFAULT '',
           previous_until BIGINT,
           enabled INTEGER NOT NULL DEFAULT 1,
           disabled_reason VARCHAR(255) NOT NULL DEFAULT '',
           consecutive_failures INTEGER NOT NULL DEFAULT 0,
           created_at BIGINT NOT NULL){TABLE};
         CREATE INDEX webhooks_user ON webhooks(user_id, id);
         CREATE TABLE webhook_deliveries (
           id VARCHAR(64) PRIMARY KEY,
           seq INTEGER NOT NULL,
           webhook_id BIGINT NOT NULL,
           user_id BIGINT NOT NULL,
           event VARCHAR(32) NOT NULL,
           body {TEXT} NOT NULL,
           status VARCHAR(16) NOT NULL,
           attempts INTEGER NOT NULL DEFAULT 0,
           created_at BIGINT NOT NULL,
           next_attempt_at BIGINT){TABLE};
         CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
         CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries(webhook_id, seq);
         CREATE TABLE webhook_attempts (
           delivery_id VARCHAR(64) NOT NULL,
           attempt INTEGER NOT NULL,
           at BIGINT NOT NULL,
           status_code INTEGER NOT NULL,
           latency_ms BIGINT NOT NULL,
           error VARCHAR(1024) NOT NULL DEFAULT '',
           next_retry_at BIGINT,
           PRIMARY KEY (delivery_id, attempt)){TABLE};)",
      // 5: how a multi-page input was used (pages in it, the page converted).
      R"(ALTER TABLE images ADD COLUMN input_pages INTEGER NOT NULL DEFAULT 0;
         ALTER TABLE images ADD COLUMN page_used INTEGER;)",
      // 6: presets, named conversion options saved per user (names unique per user).
      R"(CREATE TABLE presets (
           id {ID},
           user_id BIGINT NOT NULL,
           name VARCHAR(400) NOT NULL,
           options {TEXT} NOT NULL,
           created_at BIGINT NOT NULL,
           updated_at BIGINT NOT NULL){TABLE};
         CREATE UNIQUE INDEX presets_user_name ON presets(user_id, name);)",
      // 7: the job a delivery is about (the delivery log names it), and where a redelivery's
      // fresh budget of tries starts.
      R"(ALTER TABLE webhook_deliveries ADD COLUMN job_id VARCHAR(64) NOT NULL DEFAULT '';
         ALTER TABLE webhook_deliveries ADD COLUMN job_name VARCHAR(1024) NOT NULL DEFAULT '';
         ALTER TABLE webhook_deliveries ADD COLUMN attempt_base INTEGER NOT NULL DEFAULT 0;)",
      // 8: counters handed out under a row lock, so concurrent writers on any dialect never
      // take the same number. The deliveries' seq continues from the highest one written so far
      // (the INSERT runs again harmlessly: MariaDB cannot roll back the CREATE before it). And
      // the claim's order as an index: the claiming SELECT (ORDER BY next_attempt_at, seq LIMIT
      // 1) reads the first due row straight from it, so on MariaDB it locks that row only instead
      // of every due row a sort would have read.
      R"(CREATE TABLE counters (
           name VARCHAR(64) PRIMARY KEY,
           last_value BIGINT NOT NULL){TABLE};
         INSERT INTO counters (name, last_value)
           SELECT 'webhook_delivery_seq', COALESCE(MAX(seq), 0) FROM webhook_deliveries
           WHERE NOT EXISTS (SELECT 1 FROM counters WHERE name = 'webhook_delivery_seq');
         CREATE INDEX webhook_deliveries_claim
           ON webhook_deliveries(status, next_attempt_at, seq);)",
      // 9: uploads in progress (JobStore::begin_upload): the objects an upload writes before its
      // job exists, found again by the janitor if the upload's process dies.
      R"(CREATE TABLE job_uploads (
           job_id VARCHAR(64) PRIMARY KEY,
           user_id BIGINT NOT NULL,
           started_at BIGINT NOT NULL,
           abandoned INTEGER NOT NULL DEFAULT 0){TABLE};
         CREATE INDEX job_uploads_started ON job_uploads(started_at);)",
      // 10: resumable (tus) uploads: how much of each arrived, whose it is, until when it is
      // kept, the job that took it, and the claim of the one request that may append to it.
      R"(CREATE TABLE uploads (
           id VARCHAR(64) PRIMARY KEY,
           user_id BIGINT NOT NULL,
           upload_length BIGINT NOT NULL,
           upload_offset BIGINT NOT NULL DEFAULT 0,
           filename VARCHAR(1024) NOT NULL DEFAULT '',
           filetype VARCHAR(255) NOT NULL DEFAULT '',
           metadata {TEXT} NOT NULL,
           created_at BIGINT NOT NULL,
           expires_at BIGINT NOT NULL,
           job_id VARCHAR(64) NOT NULL DEFAULT '',
           claim_token VARCHAR(64) NOT NULL DEFAULT '',
           claim_until BIGINT NOT NULL DEFAULT 0){TABLE};
         CREATE INDEX uploads_user ON uploads(user_id, job_id);
         CREATE INDEX uploads_expiry ON uploads(expires_at);)",
      // 11: notifications as a catalogue key (their type) plus parameters, rendered in
      // each reader's language (rows from before keep their English `message` and an empty
      // `params`); and whether a finished job's "results expire soon" notice went out, set once
      // by the janitor's conditional UPDATE so it is sent once per job; and whether an expired
      // job's uploaded files are still kept (it can be converted again until they go).
      R"(ALTER TABLE notifications ADD COLUMN params VARCHAR(4000) NOT NULL DEFAULT '';
         ALTER TABLE jobs ADD COLUMN expiry_warned INTEGER NOT NULL DEFAULT 0;
         ALTER TABLE jobs ADD COLUMN sources_kept INTEGER NOT NULL DEFAULT 0;)",
      // 12: what the request that claimed a job's idempotency key asked for (a digest), so the
      // same key sent with a different request is refused instead of answered with this job.
      R"(ALTER TABLE jobs ADD COLUMN request_digest VARCHAR(64) NOT NULL DEFAULT '';)",
  };
  return MIGRATIONS;
}

}  // namespace imagesprint
