using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShaveTracker.Data.Migrations.SqlServer
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
                    id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    token = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    uploader_id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    shave_id = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    content_type = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    content = table.Column<byte[]>(type: "varbinary(max)", nullable: false),
                    created_at = table.Column<DateTime>(type: "datetime2", nullable: false)
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
                    shave_id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    description = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    screenshot_url = table.Column<string>(type: "nvarchar(2048)", maxLength: 2048, nullable: true),
                    screenshot_figure = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true)
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
