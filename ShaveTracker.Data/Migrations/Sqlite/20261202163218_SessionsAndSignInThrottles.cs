using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShaveTracker.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SessionsAndSignInThrottles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "failed_sign_in_count",
                table: "local_accounts");

            migrationBuilder.DropColumn(
                name: "lockout_ends_at",
                table: "local_accounts");

            migrationBuilder.CreateTable(
                name: "sign_in_throttles",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    client = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    failed_count = table.Column<int>(type: "INTEGER", nullable: false),
                    lockouts = table.Column<int>(type: "INTEGER", nullable: false),
                    last_failed_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    locked_until = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sign_in_throttles", x => new { x.user_id, x.client });
                    table.ForeignKey(
                        name: "fk_sign_in_throttles_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_sessions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    started_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ended_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_sessions", x => x.id);
                    table.ForeignKey(
                        name: "fk_user_sessions_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_user_sessions_user_id",
                table: "user_sessions",
                column: "user_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "sign_in_throttles");

            migrationBuilder.DropTable(
                name: "user_sessions");

            migrationBuilder.AddColumn<int>(
                name: "failed_sign_in_count",
                table: "local_accounts",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "lockout_ends_at",
                table: "local_accounts",
                type: "TEXT",
                nullable: true);
        }
    }
}
