using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShaveTracker.Data.Migrations.SqlServer
{
    /// <summary>
    /// Full-text search over every prompt, response, tool argument and result. The index holds the texts as they are
    /// shown, masked, which only the app can compute: the triggers queue each new row (log_search_queue), the app's
    /// indexer writes the masked texts to log_search_texts, and SQL Server's full-text index (catalog
    /// log_search_catalog, change tracking AUTO) indexes that table. Deleting a row deletes its masked text.
    /// </summary>
    public partial class LogSearch : Migration
    {
        private static readonly string[] Triggers =
        [
            @"CREATE TRIGGER trg_ai_logs_search ON ai_logs AFTER INSERT, DELETE AS
BEGIN
    SET NOCOUNT ON;
    INSERT INTO log_search_queue (kind, record_id) SELECT 0, id FROM inserted;
    DELETE t FROM log_search_texts AS t INNER JOIN deleted AS d ON t.kind = 0 AND t.record_id = d.id;
END",
            @"CREATE TRIGGER trg_tool_calls_search ON tool_calls AFTER INSERT, DELETE AS
BEGIN
    SET NOCOUNT ON;
    INSERT INTO log_search_queue (kind, record_id) SELECT 1, id FROM inserted;
    DELETE t FROM log_search_texts AS t INNER JOIN deleted AS d ON t.kind = 1 AND t.record_id = d.id;
END",
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"CREATE TABLE log_search_queue (
    id bigint IDENTITY(1,1) NOT NULL CONSTRAINT pk_log_search_queue PRIMARY KEY,
    kind tinyint NOT NULL,
    record_id uniqueidentifier NOT NULL);");
            migrationBuilder.Sql(@"CREATE TABLE log_search_texts (
    search_id bigint IDENTITY(1,1) NOT NULL CONSTRAINT pk_log_search_texts PRIMARY KEY,
    kind tinyint NOT NULL,
    record_id uniqueidentifier NOT NULL,
    first_text nvarchar(max) NULL,
    second_text nvarchar(max) NULL,
    CONSTRAINT ux_log_search_texts_record UNIQUE (kind, record_id));");
            // CREATE TRIGGER must start its batch: run each as a string of its own.
            foreach (var trigger in Triggers)
            {
                migrationBuilder.Sql("EXEC(N'" + trigger.Replace("'", "''", StringComparison.Ordinal) + "');");
            }

            migrationBuilder.Sql("INSERT INTO log_search_queue (kind, record_id) SELECT 0, id FROM ai_logs ORDER BY created_at, id;");
            migrationBuilder.Sql("INSERT INTO log_search_queue (kind, record_id) SELECT 1, id FROM tool_calls ORDER BY created_at, id;");
            // Full-text catalogs and indexes cannot be made inside a transaction. The neutral word breaker (LANGUAGE 0)
            // and no stoplist split words as SQLite's unicode61 does and keep every word searchable.
            migrationBuilder.Sql(
                "IF NOT EXISTS (SELECT 1 FROM sys.fulltext_catalogs WHERE name = N'log_search_catalog') CREATE FULLTEXT CATALOG log_search_catalog;",
                suppressTransaction: true);
            migrationBuilder.Sql(
                @"CREATE FULLTEXT INDEX ON log_search_texts (first_text LANGUAGE 0, second_text LANGUAGE 0)
    KEY INDEX pk_log_search_texts ON log_search_catalog WITH CHANGE_TRACKING = AUTO, STOPLIST = OFF;",
                suppressTransaction: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS trg_ai_logs_search;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS trg_tool_calls_search;");
            migrationBuilder.Sql("DROP FULLTEXT INDEX ON log_search_texts;", suppressTransaction: true);
            migrationBuilder.Sql("DROP TABLE IF EXISTS log_search_texts;", suppressTransaction: true);
            migrationBuilder.Sql("DROP TABLE IF EXISTS log_search_queue;");
            migrationBuilder.Sql("IF EXISTS (SELECT 1 FROM sys.fulltext_catalogs WHERE name = N'log_search_catalog') DROP FULLTEXT CATALOG log_search_catalog;",
                suppressTransaction: true);
        }
    }
}
