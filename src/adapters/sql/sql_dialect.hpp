#pragma once
// The SQL dialect seam: what differs between the databases the record stores run on (SQLite for
// the embedded `serve`, MariaDB/MySQL for the distributed roles), so that one set of store classes
// (adapters/sql/sql_*_store) and one list of migrations (records_migrations) serve both. Every
// other statement is written once, in the SQL both accept.
//
// What a dialect owns:
//   - transactions: how a write or a claiming transaction begins, and what a SELECT appends to
//     lock the rows its transaction goes on to change (lock_rows) or to claim rows that no other
//     transaction is claiming (claim_rows);
//   - statements: the id the last INSERT generated, upserts, LIMIT/OFFSET, the clock;
//   - schema: the column types a migration names by placeholder, and how its statements run;
//   - connections: the settings of a new connection and which failures are worth another try.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <soci/soci.h>

namespace imagesprint {

/// What a failed statement means for the caller (SqlDatabase decides on a retry from it).
enum class SqlFailure {
  /// A bad statement, a broken constraint, a full disk: running it again would fail again.
  permanent,
  /// The server rolled the whole transaction back to break a deadlock (InnoDB: two transactions
  /// that each hold a lock the other needs, such as gap locks taken by two "is it free?" reads
  /// that both go on to insert): running it again from its start is safe and is how a deadlock
  /// is meant to be handled; it may take more than one run when the same two collide again.
  deadlock,
  /// A statement waited longer than the lock wait timeout: the transaction (rolled back) may
  /// succeed when run once more.
  transient,
  /// The connection is gone (the server restarted, the network failed): the session must be
  /// opened again. The server rolled back whatever was not committed.
  connection_lost,
};

/// The kinds of transactions the stores run.
enum class SqlTransaction {
  /// Reads then writes; a SELECT whose rows are then changed carries lock_rows().
  write,
  /// Takes rows of work (webhook deliveries) that concurrent claimers must not also take; its
  /// SELECT carries claim_rows().
  claim,
};

class SqlDialect {
 public:
  virtual ~SqlDialect() = default;

  /// For messages: "sqlite", "mariadb".
  virtual std::string_view name() const = 0;

  // --- Transactions and locking ---

  /// Opens a transaction of `kind` on `session` (COMMIT and ROLLBACK are spelled alike).
  virtual void begin(soci::session& session, SqlTransaction kind) const = 0;
  /// Appended to a SELECT, in a write transaction, of rows the transaction then changes: a
  /// concurrent transaction waits for them instead of deciding on what it read before.
  virtual std::string_view lock_rows() const = 0;
  /// Appended to the SELECT of a claim transaction (after its ORDER BY and LIMIT): rows another
  /// transaction is claiming are passed over, so concurrent claimers take disjoint rows.
  virtual std::string_view claim_rows() const = 0;

  // --- Statements ---

  /// The id the last INSERT on `session` generated for an auto-increment ({ID}) column.
  virtual std::int64_t last_insert_id(soci::session& session) const = 0;
  /// An INSERT of `columns` into `table` that updates the other columns of the row whose `key`
  /// columns match instead of failing. The values are bound by name: `:column` for each column.
  virtual std::string upsert(std::string_view table, const std::vector<std::string>& columns,
                             const std::vector<std::string>& key) const = 0;
  /// " LIMIT <count>" and, when offset > 0, " OFFSET <offset>".
  virtual std::string limit(std::int64_t count, std::int64_t offset = 0) const;
  /// Seconds since the Unix epoch, as an SQL expression.
  virtual std::string_view unix_seconds() const = 0;

  // --- Schema ---

  /// The statements that apply one migration here: the migration split at each ';', its
  /// placeholders replaced by this dialect's words (see placeholder()), each statement finished
  /// by finish_statement().
  std::vector<std::string> migration_statements(std::string_view migration) const;
  /// Runs before the migrations of a component are checked and applied, and after (a lock that
  /// keeps two processes starting at once from applying the same migration).
  virtual void lock_migrations(soci::session& session) const = 0;
  virtual void unlock_migrations(soci::session& session) const = 0;

  // --- Connections ---

  /// Settings every new connection gets, before its first statement.
  virtual void configure(soci::session& session) const = 0;
  /// What a failure thrown by this backend means.
  virtual SqlFailure classify(const soci::soci_error& error) const = 0;

 protected:
  /// The words a migration names in braces, so it is written once for every dialect:
  ///   {ID}     an auto-increment 64-bit integer primary key
  ///   {TEXT}   text without a practical length limit (an options document, a webhook body)
  ///   {BLOB}   bytes without a practical length limit
  ///   {TABLE}  after a CREATE TABLE's closing parenthesis: storage engine, character set
  /// Returns the dialect's spelling; throws std::invalid_argument for an unknown name.
  virtual std::string_view placeholder(std::string_view name) const = 0;
  /// A migration statement with its placeholders replaced, as it is to be run.
  virtual std::string finish_statement(std::string statement) const { return statement; }

  /// What every dialect's upsert is made of: "INSERT INTO table (names) VALUES (:names)", and
  /// the assignments of the columns outside `key`, each spelled by `new_value(column)` (the
  /// inserted row's value in this dialect's words).
  struct UpsertParts {
    std::string insert;   // INSERT INTO ... VALUES (...)
    std::string updates;  // "a = <new a>, b = <new b>"; empty when every column is a key
  };
  static UpsertParts upsert_parts(std::string_view table, const std::vector<std::string>& columns,
                                  const std::vector<std::string>& key,
                                  std::string (*new_value)(const std::string& column));
};

}  // namespace imagesprint
