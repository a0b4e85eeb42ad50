using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShaveTracker.Data.Migrations.Sqlite
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
                    day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    model_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    calls = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ai_log_daily_stats", x => new { x.day, x.model_name });
                });

            migrationBuilder.CreateTable(
                name: "shave_daily_counts",
                columns: table => new
                {
                    day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    shave_status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    total = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_shave_daily_counts", x => new { x.day, x.shave_status });
                });

            migrationBuilder.CreateTable(
                name: "step_error_daily_counts",
                columns: table => new
                {
                    day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    step_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    error_message = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    total = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_step_error_daily_counts", x => new { x.day, x.step_name, x.error_message });
                });

            migrationBuilder.CreateTable(
                name: "tool_call_daily_stats",
                columns: table => new
                {
                    day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    service_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    tool_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    calls = table.Column<long>(type: "INTEGER", nullable: false),
                    failures = table.Column<long>(type: "INTEGER", nullable: false)
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

            // Per-day totals for the dashboard, kept exact by triggers on every write path (as shave_counts is). A
            // change of a grouped column moves the row from its old group to its new one. Days are date() of the
            // stored UTC timestamp ("yyyy-MM-dd", the text EF Core writes for a DateOnly).
            foreach (var trigger in Triggers)
            {
                migrationBuilder.Sql(trigger);
            }

            migrationBuilder.Sql(@"INSERT INTO shave_daily_counts (day, shave_status, total)
SELECT date(created_at), shave_status, COUNT(*) FROM shaves GROUP BY date(created_at), shave_status;");
            migrationBuilder.Sql(@"INSERT INTO ai_log_daily_stats (day, model_name, calls)
SELECT date(created_at), model_name, COUNT(*) FROM ai_logs GROUP BY date(created_at), model_name;");
            migrationBuilder.Sql(@"INSERT INTO tool_call_daily_stats (day, service_name, tool_name, calls, failures)
SELECT date(created_at), service_name, tool_name, COUNT(*), SUM(CASE WHEN success THEN 0 ELSE 1 END)
FROM tool_calls GROUP BY date(created_at), service_name, tool_name;");
            migrationBuilder.Sql(@"INSERT INTO step_error_daily_counts (day, step_name, error_message, total)
SELECT date(started_at), step_name, COALESCE(substr(error_message, 1, 200), ''), COUNT(*)
FROM process_steps WHERE process_status = 'failed' GROUP BY 1, 2, 3;");
        }

        private static readonly string[] TriggerNames =
        [
            "trg_shaves_daily_ai", "trg_shaves_daily_ad", "trg_shaves_daily_au",
            "trg_ai_logs_daily_ai", "trg_ai_logs_daily_ad", "trg_ai_logs_daily_au",
            "trg_tool_calls_daily_ai", "trg_tool_calls_daily_ad", "trg_tool_calls_daily_au",
            "trg_process_steps_errors_ai", "trg_process_steps_errors_ad", "trg_process_steps_errors_au",
        ];

        private const string AddShave = @"INSERT INTO shave_daily_counts (day, shave_status, total) VALUES (date(NEW.created_at), NEW.shave_status, 1)
    ON CONFLICT (day, shave_status) DO UPDATE SET total = total + 1;";

        private const string RemoveShave = @"UPDATE shave_daily_counts SET total = total - 1
    WHERE day = date(OLD.created_at) AND shave_status = OLD.shave_status;";

        private const string AddAiLog = @"INSERT INTO ai_log_daily_stats (day, model_name, calls) VALUES (date(NEW.created_at), NEW.model_name, 1)
    ON CONFLICT (day, model_name) DO UPDATE SET calls = calls + 1;";

        private const string RemoveAiLog = @"UPDATE ai_log_daily_stats SET calls = calls - 1
    WHERE day = date(OLD.created_at) AND model_name = OLD.model_name;";

        private const string AddToolCall = @"INSERT INTO tool_call_daily_stats (day, service_name, tool_name, calls, failures)
    VALUES (date(NEW.created_at), NEW.service_name, NEW.tool_name, 1, CASE WHEN NEW.success THEN 0 ELSE 1 END)
    ON CONFLICT (day, service_name, tool_name) DO UPDATE SET calls = calls + 1, failures = failures + excluded.failures;";

        private const string RemoveToolCall = @"UPDATE tool_call_daily_stats SET calls = calls - 1, failures = failures - CASE WHEN OLD.success THEN 0 ELSE 1 END
    WHERE day = date(OLD.created_at) AND service_name = OLD.service_name AND tool_name = OLD.tool_name;";

        // Only failed steps count; the WHERE/SELECT forms let one statement skip the others.
        private const string AddStepError = @"INSERT INTO step_error_daily_counts (day, step_name, error_message, total)
    SELECT date(NEW.started_at), NEW.step_name, COALESCE(substr(NEW.error_message, 1, 200), ''), 1 WHERE NEW.process_status = 'failed'
    ON CONFLICT (day, step_name, error_message) DO UPDATE SET total = total + 1;";

        private const string RemoveStepError = @"UPDATE step_error_daily_counts SET total = total - 1
    WHERE OLD.process_status = 'failed' AND day = date(OLD.started_at) AND step_name = OLD.step_name
      AND error_message = COALESCE(substr(OLD.error_message, 1, 200), '');";

        private static readonly string[] Triggers =
        [
            $"CREATE TRIGGER trg_shaves_daily_ai AFTER INSERT ON shaves BEGIN\n    {AddShave}\nEND;",
            $"CREATE TRIGGER trg_shaves_daily_ad AFTER DELETE ON shaves BEGIN\n    {RemoveShave}\nEND;",
            $@"CREATE TRIGGER trg_shaves_daily_au AFTER UPDATE OF shave_status, created_at ON shaves
WHEN OLD.shave_status IS NOT NEW.shave_status OR OLD.created_at IS NOT NEW.created_at
BEGIN
    {RemoveShave}
    {AddShave}
END;",
            $"CREATE TRIGGER trg_ai_logs_daily_ai AFTER INSERT ON ai_logs BEGIN\n    {AddAiLog}\nEND;",
            $"CREATE TRIGGER trg_ai_logs_daily_ad AFTER DELETE ON ai_logs BEGIN\n    {RemoveAiLog}\nEND;",
            $@"CREATE TRIGGER trg_ai_logs_daily_au AFTER UPDATE OF model_name, created_at ON ai_logs
WHEN OLD.model_name IS NOT NEW.model_name OR OLD.created_at IS NOT NEW.created_at
BEGIN
    {RemoveAiLog}
    {AddAiLog}
END;",
            $"CREATE TRIGGER trg_tool_calls_daily_ai AFTER INSERT ON tool_calls BEGIN\n    {AddToolCall}\nEND;",
            $"CREATE TRIGGER trg_tool_calls_daily_ad AFTER DELETE ON tool_calls BEGIN\n    {RemoveToolCall}\nEND;",
            $@"CREATE TRIGGER trg_tool_calls_daily_au AFTER UPDATE OF service_name, tool_name, success, created_at ON tool_calls
WHEN OLD.service_name IS NOT NEW.service_name OR OLD.tool_name IS NOT NEW.tool_name OR OLD.success IS NOT NEW.success
  OR OLD.created_at IS NOT NEW.created_at
BEGIN
    {RemoveToolCall}
    {AddToolCall}
END;",
            $"CREATE TRIGGER trg_process_steps_errors_ai AFTER INSERT ON process_steps BEGIN\n    {AddStepError}\nEND;",
            $"CREATE TRIGGER trg_process_steps_errors_ad AFTER DELETE ON process_steps BEGIN\n    {RemoveStepError}\nEND;",
            $@"CREATE TRIGGER trg_process_steps_errors_au AFTER UPDATE OF process_status, error_message, step_name, started_at ON process_steps
WHEN OLD.process_status IS NOT NEW.process_status OR OLD.error_message IS NOT NEW.error_message
  OR OLD.step_name IS NOT NEW.step_name OR OLD.started_at IS NOT NEW.started_at
BEGIN
    {RemoveStepError}
    {AddStepError}
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
