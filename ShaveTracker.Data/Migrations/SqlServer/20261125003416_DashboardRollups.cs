using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShaveTracker.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class DashboardRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // (model_name, created_at) and (tool_name, created_at) become the leading columns of wider, covering indexes.
            migrationBuilder.DropIndex(
                name: "ix_tool_calls_tool_name_created_at",
                table: "tool_calls");

            migrationBuilder.DropIndex(
                name: "ix_ai_logs_model_name_created_at",
                table: "ai_logs");

            migrationBuilder.CreateTable(
                name: "ai_log_daily_stats",
                columns: table => new
                {
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    model_name = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    calls = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ai_log_daily_stats", x => new { x.day, x.model_name });
                });

            migrationBuilder.CreateTable(
                name: "shave_daily_counts",
                columns: table => new
                {
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    shave_status = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    total = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_shave_daily_counts", x => new { x.day, x.shave_status });
                });

            migrationBuilder.CreateTable(
                name: "step_error_daily_counts",
                columns: table => new
                {
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    step_name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    error_message = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    total = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_step_error_daily_counts", x => new { x.day, x.step_name, x.error_message });
                });

            migrationBuilder.CreateTable(
                name: "tool_call_daily_stats",
                columns: table => new
                {
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    service_name = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    tool_name = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    calls = table.Column<long>(type: "bigint", nullable: false),
                    failures = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tool_call_daily_stats", x => new { x.day, x.service_name, x.tool_name });
                });

            migrationBuilder.CreateIndex(
                name: "ix_tool_calls_created_at_tool_name_service_name_success_duration_ms_shave_id",
                table: "tool_calls",
                columns: new[] { "created_at", "tool_name", "service_name", "success", "duration_ms", "shave_id" });

            migrationBuilder.CreateIndex(
                name: "ix_tool_calls_tool_name_created_at_service_name_success_duration_ms_shave_id",
                table: "tool_calls",
                columns: new[] { "tool_name", "created_at", "service_name", "success", "duration_ms", "shave_id" });

            migrationBuilder.CreateIndex(
                name: "ix_ai_logs_created_at_model_name_duration_ms_shave_id",
                table: "ai_logs",
                columns: new[] { "created_at", "model_name", "duration_ms", "shave_id" });

            migrationBuilder.CreateIndex(
                name: "ix_ai_logs_model_name_created_at_duration_ms_shave_id",
                table: "ai_logs",
                columns: new[] { "model_name", "created_at", "duration_ms", "shave_id" });

            // Per-day totals for the dashboard, kept exact by one set-based trigger per table (one MERGE per
            // statement, whatever the number of rows; cascaded deletes fire them too). CREATE TRIGGER must start its
            // own batch; EXEC lets it sit inside the idempotent script's IF blocks.
            foreach (var trigger in Triggers)
            {
                migrationBuilder.Sql("EXEC(N'" + trigger.Replace("'", "''", StringComparison.Ordinal) + "');");
            }

            migrationBuilder.Sql(@"INSERT INTO shave_daily_counts (day, shave_status, total)
SELECT CONVERT(date, created_at), shave_status, COUNT_BIG(*) FROM shaves GROUP BY CONVERT(date, created_at), shave_status;");
            migrationBuilder.Sql(@"INSERT INTO ai_log_daily_stats (day, model_name, calls)
SELECT CONVERT(date, created_at), model_name, COUNT_BIG(*) FROM ai_logs GROUP BY CONVERT(date, created_at), model_name;");
            migrationBuilder.Sql(@"INSERT INTO tool_call_daily_stats (day, service_name, tool_name, calls, failures)
SELECT CONVERT(date, created_at), service_name, tool_name, COUNT_BIG(*), SUM(CASE WHEN success = 0 THEN CAST(1 AS bigint) ELSE 0 END)
FROM tool_calls GROUP BY CONVERT(date, created_at), service_name, tool_name;");
            migrationBuilder.Sql(@"INSERT INTO step_error_daily_counts (day, step_name, error_message, total)
SELECT CONVERT(date, started_at), step_name, COALESCE(LEFT(error_message, 200), N''), COUNT_BIG(*)
FROM process_steps WHERE process_status = N'failed'
GROUP BY CONVERT(date, started_at), step_name, COALESCE(LEFT(error_message, 200), N'');");
        }

        private static readonly string[] TriggerNames = ["trg_shaves_daily", "trg_ai_logs_daily", "trg_tool_calls_daily", "trg_process_steps_errors"];

        private static readonly string[] Triggers =
        [
            @"CREATE TRIGGER trg_shaves_daily ON shaves AFTER INSERT, UPDATE, DELETE AS
BEGIN
    SET NOCOUNT ON;
    WITH changes AS (
        SELECT CONVERT(date, created_at) AS day, shave_status, 1 AS delta FROM inserted
        UNION ALL SELECT CONVERT(date, created_at), shave_status, -1 FROM deleted
    ), sums AS (
        SELECT day, shave_status, SUM(delta) AS delta FROM changes GROUP BY day, shave_status HAVING SUM(delta) <> 0
    )
    MERGE shave_daily_counts WITH (HOLDLOCK) AS t
    USING sums AS s ON t.day = s.day AND t.shave_status = s.shave_status
    WHEN MATCHED THEN UPDATE SET total = t.total + s.delta
    WHEN NOT MATCHED THEN INSERT (day, shave_status, total) VALUES (s.day, s.shave_status, s.delta);
END;",
            @"CREATE TRIGGER trg_ai_logs_daily ON ai_logs AFTER INSERT, UPDATE, DELETE AS
BEGIN
    SET NOCOUNT ON;
    WITH changes AS (
        SELECT CONVERT(date, created_at) AS day, model_name, 1 AS delta FROM inserted
        UNION ALL SELECT CONVERT(date, created_at), model_name, -1 FROM deleted
    ), sums AS (
        SELECT day, model_name, SUM(delta) AS delta FROM changes GROUP BY day, model_name HAVING SUM(delta) <> 0
    )
    MERGE ai_log_daily_stats WITH (HOLDLOCK) AS t
    USING sums AS s ON t.day = s.day AND t.model_name = s.model_name
    WHEN MATCHED THEN UPDATE SET calls = t.calls + s.delta
    WHEN NOT MATCHED THEN INSERT (day, model_name, calls) VALUES (s.day, s.model_name, s.delta);
END;",
            @"CREATE TRIGGER trg_tool_calls_daily ON tool_calls AFTER INSERT, UPDATE, DELETE AS
BEGIN
    SET NOCOUNT ON;
    WITH changes AS (
        SELECT CONVERT(date, created_at) AS day, service_name, tool_name, 1 AS calls,
               CASE WHEN success = 0 THEN 1 ELSE 0 END AS failures FROM inserted
        UNION ALL SELECT CONVERT(date, created_at), service_name, tool_name, -1,
               CASE WHEN success = 0 THEN -1 ELSE 0 END FROM deleted
    ), sums AS (
        SELECT day, service_name, tool_name, SUM(calls) AS calls, SUM(failures) AS failures FROM changes
        GROUP BY day, service_name, tool_name HAVING SUM(calls) <> 0 OR SUM(failures) <> 0
    )
    MERGE tool_call_daily_stats WITH (HOLDLOCK) AS t
    USING sums AS s ON t.day = s.day AND t.service_name = s.service_name AND t.tool_name = s.tool_name
    WHEN MATCHED THEN UPDATE SET calls = t.calls + s.calls, failures = t.failures + s.failures
    WHEN NOT MATCHED THEN INSERT (day, service_name, tool_name, calls, failures) VALUES (s.day, s.service_name, s.tool_name, s.calls, s.failures);
END;",
            @"CREATE TRIGGER trg_process_steps_errors ON process_steps AFTER INSERT, UPDATE, DELETE AS
BEGIN
    SET NOCOUNT ON;
    WITH changes AS (
        SELECT CONVERT(date, started_at) AS day, step_name, COALESCE(LEFT(error_message, 200), N'') AS error_message, 1 AS delta
        FROM inserted WHERE process_status = N'failed'
        UNION ALL SELECT CONVERT(date, started_at), step_name, COALESCE(LEFT(error_message, 200), N''), -1
        FROM deleted WHERE process_status = N'failed'
    ), sums AS (
        SELECT day, step_name, error_message, SUM(delta) AS delta FROM changes
        GROUP BY day, step_name, error_message HAVING SUM(delta) <> 0
    )
    MERGE step_error_daily_counts WITH (HOLDLOCK) AS t
    USING sums AS s ON t.day = s.day AND t.step_name = s.step_name AND t.error_message = s.error_message
    WHEN MATCHED THEN UPDATE SET total = t.total + s.delta
    WHEN NOT MATCHED THEN INSERT (day, step_name, error_message, total) VALUES (s.day, s.step_name, s.error_message, s.delta);
END;",
        ];

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var trigger in TriggerNames)
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {trigger};");
            }

            migrationBuilder.DropTable(
                name: "ai_log_daily_stats");

            migrationBuilder.DropTable(
                name: "shave_daily_counts");

            migrationBuilder.DropTable(
                name: "step_error_daily_counts");

            migrationBuilder.DropTable(
                name: "tool_call_daily_stats");

            migrationBuilder.DropIndex(
                name: "ix_tool_calls_created_at_tool_name_service_name_success_duration_ms_shave_id",
                table: "tool_calls");

            migrationBuilder.DropIndex(
                name: "ix_tool_calls_tool_name_created_at_service_name_success_duration_ms_shave_id",
                table: "tool_calls");

            migrationBuilder.DropIndex(
                name: "ix_ai_logs_created_at_model_name_duration_ms_shave_id",
                table: "ai_logs");

            migrationBuilder.DropIndex(
                name: "ix_ai_logs_model_name_created_at_duration_ms_shave_id",
                table: "ai_logs");

            migrationBuilder.CreateIndex(
                name: "ix_tool_calls_tool_name_created_at",
                table: "tool_calls",
                columns: new[] { "tool_name", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_ai_logs_model_name_created_at",
                table: "ai_logs",
                columns: new[] { "model_name", "created_at" });
        }
    }
}
