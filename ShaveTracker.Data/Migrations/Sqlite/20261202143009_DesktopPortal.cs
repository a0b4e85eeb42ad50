using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShaveTracker.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DesktopPortal : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "screenshots",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    token = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    uploader_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    shave_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    content_type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    content = table.Column<byte[]>(type: "BLOB", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_screenshots", x => x.id);
                    table.ForeignKey(
                        name: "fk_screenshots_shaves_shave_id",
                        column: x => x.shave_id,
                        principalTable: "shaves",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_screenshots_users_uploader_id",
                        column: x => x.uploader_id,
                        principalTable: "users",
                        principalColumn: "id");
                });

            migrationBuilder.CreateTable(
                name: "shave_work_items",
                columns: table => new
                {
                    shave_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    description = table.Column<string>(type: "TEXT", nullable: true),
                    screenshot_url = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    screenshot_figure = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_shave_work_items", x => x.shave_id);
                    table.ForeignKey(
                        name: "fk_shave_work_items_shaves_shave_id",
                        column: x => x.shave_id,
                        principalTable: "shaves",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_screenshots_shave_id",
                table: "screenshots",
                column: "shave_id");

            migrationBuilder.CreateIndex(
                name: "ix_screenshots_uploader_id",
                table: "screenshots",
                column: "uploader_id");

            migrationBuilder.CreateIndex(
                name: "ux_screenshots_token",
                table: "screenshots",
                column: "token",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "screenshots");

            migrationBuilder.DropTable(
                name: "shave_work_items");
        }
    }
}
