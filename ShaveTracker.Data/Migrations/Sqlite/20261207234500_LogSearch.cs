using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShaveTracker.Data.Migrations.Sqlite
{
    /// <summary>
    /// Full-text search over every prompt, response, tool argument and result. The index holds the texts as they are
    /// shown, masked, which only the app can compute: the triggers queue each new row (log_search_queue) and the app's
    /// indexer masks and indexes the queue in batches after each commit. The FTS5 tables are contentless (the text is
    /// not stored twice) and keyed by the rows' rowid; deleting a row deletes its index entry here.
    /// </summary>
    public partial class LogSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE TABLE log_search_queue (id INTEGER PRIMARY KEY, kind INTEGER NOT NULL, source_rowid INTEGER NOT NULL);");
            migrationBuilder.Sql(@"CREATE VIRTUAL TABLE ai_logs_fts USING fts5(prompt, response, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');");
            migrationBuilder.Sql(@"CREATE VIRTUAL TABLE tool_calls_fts USING fts5(args, result, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');");
            migrationBuilder.Sql(@"CREATE TRIGGER trg_ai_logs_search_ai AFTER INSERT ON ai_logs BEGIN
    INSERT INTO log_search_queue (kind, source_rowid) VALUES (0, NEW.rowid);
END;");
            migrationBuilder.Sql(@"CREATE TRIGGER trg_ai_logs_search_ad AFTER DELETE ON ai_logs BEGIN
    DELETE FROM ai_logs_fts WHERE rowid = OLD.rowid;
END;");
            migrationBuilder.Sql(@"CREATE TRIGGER trg_tool_calls_search_ai AFTER INSERT ON tool_calls BEGIN
    INSERT INTO log_search_queue (kind, source_rowid) VALUES (1, NEW.rowid);
END;");
            migrationBuilder.Sql(@"CREATE TRIGGER trg_tool_calls_search_ad AFTER DELETE ON tool_calls BEGIN
    DELETE FROM tool_calls_fts WHERE rowid = OLD.rowid;
END;");
            // The rows already there: the indexer works through them after the app starts.
            migrationBuilder.Sql("INSERT INTO log_search_queue (kind, source_rowid) SELECT 0, rowid FROM ai_logs ORDER BY rowid;");
            migrationBuilder.Sql("INSERT INTO log_search_queue (kind, source_rowid) SELECT 1, rowid FROM tool_calls ORDER BY rowid;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var trigger in new[] { "trg_ai_logs_search_ai", "trg_ai_logs_search_ad", "trg_tool_calls_search_ai", "trg_tool_calls_search_ad" })
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {trigger};");
            }

            migrationBuilder.Sql("DROP TABLE IF EXISTS ai_logs_fts;");
            migrationBuilder.Sql("DROP TABLE IF EXISTS tool_calls_fts;");
            migrationBuilder.Sql("DROP TABLE IF EXISTS log_search_queue;");
        }
    }
}
