using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShaveTracker.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ShaveCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "shave_counts",
                columns: table => new
                {
                    dimension = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    dim_key = table.Column<string>(type: "nvarchar(36)", maxLength: 36, nullable: false),
                    shave_status = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    total = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_shave_counts", x => new { x.dimension, x.dim_key, x.shave_status });
                });

            migrationBuilder.CreateIndex(
                name: "ix_shaves_title_id",
                table: "shaves",
                columns: new[] { "title", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_shaves_updated_at_id",
                table: "shaves",
                columns: new[] { "updated_at", "id" });
            // Exact counts per status overall, per project and per requester, kept by a trigger so that every write
            // path keeps them right. Set-based: one MERGE per statement, whatever the number of rows.
            // CREATE TRIGGER must start its own batch; EXEC lets it sit inside the idempotent script's IF blocks.
            migrationBuilder.Sql("EXEC(N'" + CountTrigger.Replace("'", "''", System.StringComparison.Ordinal) + "');");
            migrationBuilder.Sql(@"INSERT INTO shave_counts (dimension, dim_key, shave_status, total)
SELECT N'all', N'', shave_status, COUNT_BIG(*) FROM shaves GROUP BY shave_status;");
            migrationBuilder.Sql(@"INSERT INTO shave_counts (dimension, dim_key, shave_status, total)
SELECT N'project', COALESCE(CONVERT(nvarchar(36), project_id), N''), shave_status, COUNT_BIG(*) FROM shaves GROUP BY project_id, shave_status;");
            migrationBuilder.Sql(@"INSERT INTO shave_counts (dimension, dim_key, shave_status, total)
SELECT N'requester', CONVERT(nvarchar(36), requester_id), shave_status, COUNT_BIG(*) FROM shaves GROUP BY requester_id, shave_status;");
            // SQL Server has no FTS5: title search there uses LIKE (README: add a full-text catalog to go further).
        }

        private const string CountTrigger = @"CREATE TRIGGER trg_shaves_counts ON shaves AFTER INSERT, UPDATE, DELETE AS
BEGIN
    SET NOCOUNT ON;
    WITH changes AS (
        SELECT N'all' AS dimension, N'' AS dim_key, shave_status, 1 AS delta FROM inserted
        UNION ALL SELECT N'project', COALESCE(CONVERT(nvarchar(36), project_id), N''), shave_status, 1 FROM inserted
        UNION ALL SELECT N'requester', CONVERT(nvarchar(36), requester_id), shave_status, 1 FROM inserted
        UNION ALL SELECT N'all', N'', shave_status, -1 FROM deleted
        UNION ALL SELECT N'project', COALESCE(CONVERT(nvarchar(36), project_id), N''), shave_status, -1 FROM deleted
        UNION ALL SELECT N'requester', CONVERT(nvarchar(36), requester_id), shave_status, -1 FROM deleted
    ), sums AS (
        SELECT dimension, dim_key, shave_status, SUM(delta) AS delta FROM changes
        GROUP BY dimension, dim_key, shave_status HAVING SUM(delta) <> 0
    )
    MERGE shave_counts WITH (HOLDLOCK) AS t
    USING sums AS s ON t.dimension = s.dimension AND t.dim_key = s.dim_key AND t.shave_status = s.shave_status
    WHEN MATCHED THEN UPDATE SET total = t.total + s.delta
    WHEN NOT MATCHED THEN INSERT (dimension, dim_key, shave_status, total) VALUES (s.dimension, s.dim_key, s.shave_status, s.delta);
END;";

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS trg_shaves_counts;");
            migrationBuilder.DropTable(
                name: "shave_counts");

            migrationBuilder.DropIndex(
                name: "ix_shaves_title_id",
                table: "shaves");

            migrationBuilder.DropIndex(
                name: "ix_shaves_updated_at_id",
                table: "shaves");
        }
    }
}
