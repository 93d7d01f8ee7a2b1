#include "adapters/sql/sql_dialect.hpp"

#include <algorithm>
#include <stdexcept>

namespace imagesprint {
namespace {

bool blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

SqlDialect::UpsertParts SqlDialect::upsert_parts(std::string_view table,
                                                 const std::vector<std::string>& columns,
                                                 const std::vector<std::string>& key,
                                                 std::string (*new_value)(const std::string&)) {
  std::string names, values, updates;
  for (const std::string& column : columns) {
    names += (names.empty() ? "" : ", ") + column;
    values += (values.empty() ? ":" : ", :") + column;
    if (std::find(key.begin(), key.end(), column) != key.end()) continue;
    updates += (updates.empty() ? "" : ", ") + column + " = " + new_value(column);
  }
  return {"INSERT INTO " + std::string(table) + " (" + names + ") VALUES (" + values + ")",
          updates};
}

std::string SqlDialect::limit(std::int64_t count, std::int64_t offset) const {
  std::string clause = " LIMIT " + std::to_string(count);
  if (offset > 0) clause += " OFFSET " + std::to_string(offset);
  return clause;
}

std::vector<std::string> SqlDialect::migration_statements(std::string_view migration) const {
  std::vector<std::string> statements;
  std::string statement;
  const auto flush = [&] {
    if (!blank(statement)) statements.push_back(finish_statement(std::move(statement)));
    statement.clear();
  };
  // SOCI runs one statement at a time: split at ';' (migrations hold no ';' inside a literal).
  for (std::size_t i = 0; i < migration.size(); ++i) {
    const char c = migration[i];
    if (c == ';') {
      flush();
    } else if (c == '{') {
      const auto close = migration.find('}', i);
      if (close == std::string_view::npos) {
        throw std::invalid_argument("migration: '{' without '}' at offset " + std::to_string(i));
      }
      statement += placeholder(migration.substr(i + 1, close - i - 1));
      i = close;
    } else {
      statement += c;
    }
  }
  flush();
  return statements;
}

}  // namespace imagesprint
