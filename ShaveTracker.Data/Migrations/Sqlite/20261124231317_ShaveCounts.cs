using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShaveTracker.Data.Migrations.Sqlite
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
                    dimension = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    dim_key = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    shave_status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    total = table.Column<long>(type: "INTEGER", nullable: false)
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
            // Exact counts per status overall, per project and per requester, kept by triggers so that every write
            // path (the app, the API, a bulk import, a manual fix) keeps them right.
            migrationBuilder.Sql(SqliteCountTriggers);
            migrationBuilder.Sql(@"INSERT INTO shave_counts (dimension, dim_key, shave_status, total)
SELECT 'all', '', shave_status, COUNT(*) FROM shaves GROUP BY shave_status;");
            migrationBuilder.Sql(@"INSERT INTO shave_counts (dimension, dim_key, shave_status, total)
SELECT 'project', COALESCE(project_id, ''), shave_status, COUNT(*) FROM shaves GROUP BY project_id, shave_status;");
            migrationBuilder.Sql(@"INSERT INTO shave_counts (dimension, dim_key, shave_status, total)
SELECT 'requester', requester_id, shave_status, COUNT(*) FROM shaves GROUP BY requester_id, shave_status;");

            // Title search: an FTS5 index over shaves.title (external content, so titles are stored once).
            migrationBuilder.Sql(@"CREATE VIRTUAL TABLE shaves_fts USING fts5(title, content='shaves', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');");
            migrationBuilder.Sql(@"INSERT INTO shaves_fts(rowid, title) SELECT rowid, title FROM shaves;");
            migrationBuilder.Sql(@"CREATE TRIGGER trg_shaves_fts_ai AFTER INSERT ON shaves BEGIN
    INSERT INTO shaves_fts(rowid, title) VALUES (NEW.rowid, NEW.title);
END;");
            migrationBuilder.Sql(@"CREATE TRIGGER trg_shaves_fts_ad AFTER DELETE ON shaves BEGIN
    INSERT INTO shaves_fts(shaves_fts, rowid, title) VALUES ('delete', OLD.rowid, OLD.title);
END;");
            migrationBuilder.Sql(@"CREATE TRIGGER trg_shaves_fts_au AFTER UPDATE OF title ON shaves BEGIN
    INSERT INTO shaves_fts(shaves_fts, rowid, title) VALUES ('delete', OLD.rowid, OLD.title);
    INSERT INTO shaves_fts(rowid, title) VALUES (NEW.rowid, NEW.title);
END;");
        }

        private const string Upsert = "ON CONFLICT (dimension, dim_key, shave_status) DO UPDATE SET total = total + excluded.total";

        private static readonly string SqliteCountTriggers = $@"
CREATE TRIGGER trg_shaves_counts_ai AFTER INSERT ON shaves BEGIN
    INSERT INTO shave_counts (dimension, dim_key, shave_status, total) VALUES ('all', '', NEW.shave_status, 1) {Upsert};
    INSERT INTO shave_counts (dimension, dim_key, shave_status, total) VALUES ('project', COALESCE(NEW.project_id, ''), NEW.shave_status, 1) {Upsert};
    INSERT INTO shave_counts (dimension, dim_key, shave_status, total) VALUES ('requester', NEW.requester_id, NEW.shave_status, 1) {Upsert};
END;
CREATE TRIGGER trg_shaves_counts_ad AFTER DELETE ON shaves BEGIN
    UPDATE shave_counts SET total = total - 1 WHERE shave_status = OLD.shave_status AND (
        (dimension = 'all' AND dim_key = '') OR
        (dimension = 'project' AND dim_key = COALESCE(OLD.project_id, '')) OR
        (dimension = 'requester' AND dim_key = OLD.requester_id));
END;
CREATE TRIGGER trg_shaves_counts_au AFTER UPDATE OF shave_status, project_id, requester_id ON shaves
WHEN OLD.shave_status IS NOT NEW.shave_status OR OLD.project_id IS NOT NEW.project_id OR OLD.requester_id IS NOT NEW.requester_id
BEGIN
    UPDATE shave_counts SET total = total - 1 WHERE shave_status = OLD.shave_status AND (
        (dimension = 'all' AND dim_key = '') OR
        (dimension = 'project' AND dim_key = COALESCE(OLD.project_id, '')) OR
        (dimension = 'requester' AND dim_key = OLD.requester_id));
    INSERT INTO shave_counts (dimension, dim_key, shave_status, total) VALUES ('all', '', NEW.shave_status, 1) {Upsert};
    INSERT INTO shave_counts (dimension, dim_key, shave_status, total) VALUES ('project', COALESCE(NEW.project_id, ''), NEW.shave_status, 1) {Upsert};
    INSERT INTO shave_counts (dimension, dim_key, shave_status, total) VALUES ('requester', NEW.requester_id, NEW.shave_status, 1) {Upsert};
END;";

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var trigger in new[] { "trg_shaves_counts_ai", "trg_shaves_counts_ad", "trg_shaves_counts_au", "trg_shaves_fts_ai", "trg_shaves_fts_ad", "trg_shaves_fts_au" })
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {trigger};");
            }

            migrationBuilder.Sql("DROP TABLE IF EXISTS shaves_fts;");
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
