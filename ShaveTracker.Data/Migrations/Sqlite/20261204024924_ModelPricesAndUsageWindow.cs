using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace ShaveTracker.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ModelPricesAndUsageWindow : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "created_at",
                table: "ai_log_usage",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<string>(
                name: "model_name",
                table: "ai_log_usage",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<Guid>(
                name: "shave_id",
                table: "ai_log_usage",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            // Rows written before these columns existed take them from their AI log (which never changes them).
            migrationBuilder.Sql(
                "UPDATE ai_log_usage SET " +
                "shave_id = (SELECT l.shave_id FROM ai_logs l WHERE l.id = ai_log_usage.ai_log_id), " +
                "model_name = (SELECT l.model_name FROM ai_logs l WHERE l.id = ai_log_usage.ai_log_id), " +
                "created_at = (SELECT l.created_at FROM ai_logs l WHERE l.id = ai_log_usage.ai_log_id);");

            migrationBuilder.CreateTable(
                name: "model_prices",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    model_pattern = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    like_pattern = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    specificity = table.Column<int>(type: "INTEGER", nullable: false),
                    input_usd_per_million = table.Column<double>(type: "REAL", nullable: false),
                    output_usd_per_million = table.Column<double>(type: "REAL", nullable: false),
                    valid_from = table.Column<DateTime>(type: "TEXT", nullable: false),
                    valid_to = table.Column<DateTime>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    created_by = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_model_prices", x => x.id);
                });

            migrationBuilder.InsertData(
                table: "model_prices",
                columns: new[] { "id", "created_at", "created_by", "input_usd_per_million", "like_pattern", "model_pattern", "output_usd_per_million", "specificity", "valid_from", "valid_to" },
                values: new object[,]
                {
                    { new Guid("0190f1a0-0000-7000-8000-000000000001"), new DateTime(2025, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc), null, 2.5, "gpt-4o%", "gpt-4o*", 10.0, 6, new DateTime(2025, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc), null },
                    { new Guid("0190f1a0-0000-7000-8000-000000000002"), new DateTime(2025, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc), null, 0.14999999999999999, "gpt-4o-mini%", "gpt-4o-mini*", 0.59999999999999998, 11, new DateTime(2025, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc), null },
                    { new Guid("0190f1a0-0000-7000-8000-000000000003"), new DateTime(2025, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc), null, 2.0, "gpt-4.1%", "gpt-4.1*", 8.0, 7, new DateTime(2025, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc), null },
                    { new Guid("0190f1a0-0000-7000-8000-000000000004"), new DateTime(2025, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc), null, 0.40000000000000002, "gpt-4.1-mini%", "gpt-4.1-mini*", 1.6000000000000001, 12, new DateTime(2025, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc), null },
                    { new Guid("0190f1a0-0000-7000-8000-000000000005"), new DateTime(2025, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc), null, 0.10000000000000001, "gpt-4.1-nano%", "gpt-4.1-nano*", 0.40000000000000002, 12, new DateTime(2025, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc), null },
                    { new Guid("0190f1a0-0000-7000-8000-000000000006"), new DateTime(2025, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc), null, 1.1000000000000001, "o3-mini%", "o3-mini*", 4.4000000000000004, 7, new DateTime(2025, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc), null },
                    { new Guid("0190f1a0-0000-7000-8000-000000000007"), new DateTime(2025, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc), null, 3.0, "claude-sonnet-4%", "claude-sonnet-4*", 15.0, 15, new DateTime(2025, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc), null },
                    { new Guid("0190f1a0-0000-7000-8000-000000000008"), new DateTime(2025, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc), null, 0.80000000000000004, "claude-3-5-haiku%", "claude-3-5-haiku*", 4.0, 16, new DateTime(2025, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc), null },
                    { new Guid("0190f1a0-0000-7000-8000-000000000009"), new DateTime(2025, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc), null, 1.25, "gemini-2.5-pro%", "gemini-2.5-pro*", 10.0, 14, new DateTime(2025, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc), null },
                    { new Guid("0190f1a0-0000-7000-8000-00000000000a"), new DateTime(2025, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc), null, 0.29999999999999999, "gemini-2.5-flash%", "gemini-2.5-flash*", 2.5, 16, new DateTime(2025, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc), null }
                });

            migrationBuilder.CreateIndex(
                name: "ix_ai_log_usage_created_at_model_name_shave_id_input_tokens_output_tokens",
                table: "ai_log_usage",
                columns: new[] { "created_at", "model_name", "shave_id", "input_tokens", "output_tokens" });

            migrationBuilder.CreateIndex(
                name: "ix_model_prices_valid_from",
                table: "model_prices",
                column: "valid_from");

            migrationBuilder.CreateIndex(
                name: "ux_model_prices_model_pattern_valid_from",
                table: "model_prices",
                columns: new[] { "model_pattern", "valid_from" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "model_prices");

            migrationBuilder.DropIndex(
                name: "ix_ai_log_usage_created_at_model_name_shave_id_input_tokens_output_tokens",
                table: "ai_log_usage");

            migrationBuilder.DropColumn(
                name: "created_at",
                table: "ai_log_usage");

            migrationBuilder.DropColumn(
                name: "model_name",
                table: "ai_log_usage");

            migrationBuilder.DropColumn(
                name: "shave_id",
                table: "ai_log_usage");
        }
    }
}
