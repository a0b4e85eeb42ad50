using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShaveTracker.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class FailedToolCallIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_tool_calls_failed",
                table: "tool_calls",
                columns: new[] { "created_at", "tool_name", "service_name", "success", "duration_ms", "shave_id" },
                filter: "[success] = CAST(0 AS bit)");

            migrationBuilder.CreateIndex(
                name: "ix_tool_calls_failed_by_tool",
                table: "tool_calls",
                columns: new[] { "tool_name", "created_at", "service_name", "success", "duration_ms", "shave_id" },
                filter: "[success] = CAST(0 AS bit)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_tool_calls_failed",
                table: "tool_calls");

            migrationBuilder.DropIndex(
                name: "ix_tool_calls_failed_by_tool",
                table: "tool_calls");
        }
    }
}
