using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShaveTracker.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OtelTracesAndTokenUsage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ai_log_usage",
                columns: table => new
                {
                    ai_log_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    input_tokens = table.Column<int>(type: "INTEGER", nullable: true),
                    output_tokens = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ai_log_usage", x => x.ai_log_id);
                    table.ForeignKey(
                        name: "fk_ai_log_usage_ai_logs_ai_log_id",
                        column: x => x.ai_log_id,
                        principalTable: "ai_logs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "otel_pending_spans",
                columns: table => new
                {
                    trace_id = table.Column<string>(type: "TEXT", unicode: false, maxLength: 32, nullable: false),
                    span_id = table.Column<string>(type: "TEXT", unicode: false, maxLength: 16, nullable: false),
                    credential_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    span_json = table.Column<string>(type: "TEXT", nullable: false),
                    received_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_otel_pending_spans", x => new { x.trace_id, x.span_id });
                });

            migrationBuilder.CreateTable(
                name: "otel_traces",
                columns: table => new
                {
                    trace_id = table.Column<string>(type: "TEXT", unicode: false, maxLength: 32, nullable: false),
                    shave_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    first_seen_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_otel_traces", x => x.trace_id);
                    table.ForeignKey(
                        name: "fk_otel_traces_shaves_shave_id",
                        column: x => x.shave_id,
                        principalTable: "shaves",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_otel_pending_spans_received_at",
                table: "otel_pending_spans",
                column: "received_at");

            migrationBuilder.CreateIndex(
                name: "ix_otel_traces_shave_id",
                table: "otel_traces",
                column: "shave_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ai_log_usage");

            migrationBuilder.DropTable(
                name: "otel_pending_spans");

            migrationBuilder.DropTable(
                name: "otel_traces");
        }
    }
}
