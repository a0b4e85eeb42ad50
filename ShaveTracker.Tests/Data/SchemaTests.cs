using System.Globalization;
using ShaveTracker.Tests.Infrastructure;

namespace ShaveTracker.Tests.Data;

/// <summary>
/// The migrated database's actual schema, read back from SQLite's catalog (not from the EF model), against the
/// product's data model as designed (docs/data-model.md describes every table and column).
/// </summary>
public sealed class SchemaTests(SqliteDatabaseFixture database) : DatabaseTest(database)
{
    private enum Marker
    {
        /// <summary>"PK": the primary key, never null.</summary>
        Pk,

        /// <summary>"NOT NULL".</summary>
        NotNull,

        /// <summary>"Nullable".</summary>
        Nullable,

        /// <summary>
        /// No nullability marker in the design (users.auth_provider, display_name, created_at; shaves.shave_status).
        /// Every row has one in the domain, so our model makes them NOT NULL.
        /// </summary>
        Unmarked,
    }

    private sealed record ErdColumn(string Name, string ErdType, Marker Marker);

    // The designed model, table by table: column, designed type, nullability marker.
    private static readonly Dictionary<string, ErdColumn[]> Erd = new(StringComparer.Ordinal)
    {
        ["users"] =
        [
            new("id", "string", Marker.Pk),
            new("auth_provider", "string", Marker.Unmarked),
            new("display_name", "string", Marker.Unmarked),
            new("created_at", "string", Marker.Unmarked),
        ],
        ["video_files"] =
        [
            new("id", "string", Marker.Pk),
            new("file_name", "string", Marker.NotNull),
            new("file_path", "string", Marker.Nullable),
            new("file_hash", "string", Marker.Nullable),
            new("duration", "int", Marker.NotNull),
            new("created_at", "string", Marker.NotNull),
        ],
        ["projects"] =
        [
            new("id", "string", Marker.Pk),
            new("user_id", "string", Marker.NotNull),
            new("name", "string", Marker.NotNull),
            new("description", "string", Marker.Nullable),
            new("backlog_url", "string", Marker.Nullable),
            new("is_active", "boolean", Marker.NotNull),
            new("source", "string", Marker.NotNull),
            new("custom_prompt", "string", Marker.Nullable),
            new("created_at", "string", Marker.NotNull),
            new("updated_at", "string", Marker.Nullable),
        ],
        ["shaves"] =
        [
            new("id", "string", Marker.Pk),
            new("title", "string", Marker.NotNull),
            new("video_file_id", "string", Marker.NotNull),
            new("requester_id", "string", Marker.NotNull),
            new("project_id", "string", Marker.Nullable),
            new("shave_status", "string", Marker.Unmarked),
            new("work_item_url", "string", Marker.Nullable),
            new("work_item_source", "string", Marker.NotNull),
            new("video_embed_url", "string", Marker.Nullable),
            new("created_at", "string", Marker.NotNull),
            new("updated_at", "string", Marker.Nullable),
        ],
        ["process_steps"] =
        [
            new("id", "string", Marker.Pk),
            new("shave_id", "string", Marker.NotNull),
            new("step_name", "string", Marker.NotNull),
            new("process_status", "string", Marker.NotNull),
            new("started_at", "string", Marker.NotNull),
            new("completed_at", "string", Marker.Nullable),
            new("error_message", "string", Marker.Nullable),
        ],
        ["ai_logs"] =
        [
            new("id", "string", Marker.Pk),
            new("shave_id", "string", Marker.NotNull),
            new("process_step_id", "string", Marker.Nullable),
            new("model_name", "string", Marker.NotNull),
            new("prompt_text", "string", Marker.Nullable),
            new("response_text", "string", Marker.Nullable),
            new("duration_ms", "int", Marker.Nullable),
            new("created_at", "string", Marker.NotNull),
        ],
        ["tool_calls"] =
        [
            new("id", "string", Marker.Pk),
            new("shave_id", "string", Marker.NotNull),
            new("process_step_id", "string", Marker.Nullable),
            new("ai_log_id", "string", Marker.Nullable),
            new("tool_call_id", "string", Marker.NotNull),
            new("tool_name", "string", Marker.NotNull),
            new("service_name", "string", Marker.NotNull),
            new("args_json", "string", Marker.Nullable),
            new("result_json", "string", Marker.Nullable),
            new("success", "boolean", Marker.NotNull),
            new("duration_ms", "int", Marker.Nullable),
            new("created_at", "string", Marker.NotNull),
        ],
        ["transcripts"] =
        [
            new("id", "string", Marker.Pk),
            new("shave_id", "string", Marker.NotNull),
            new("text", "string", Marker.NotNull),
            new("created_at", "string", Marker.NotNull),
        ],
        ["user_activities"] =
        [
            new("id", "string", Marker.Pk),
            new("shave_id", "string", Marker.NotNull),
            new("user_id", "string", Marker.Nullable),
            new("activity_type", "string", Marker.NotNull),
            new("target_table", "string", Marker.Nullable),
            new("target_id", "string", Marker.Nullable),
            new("details_json", "string", Marker.Nullable),
            new("created_at", "string", Marker.NotNull),
        ],
    };

    public static TheoryData<string> ErdTables()
    {
        var data = new TheoryData<string>();
        foreach (var table in Erd.Keys)
        {
            data.Add(table);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ErdTables))]
    public async Task Table_has_exactly_the_erd_columns_with_their_nullability(string table)
    {
        var expected = Erd[table]
            .Select(c => Describe(c.Name, SqliteType(c.ErdType), notNull: c.Marker != Marker.Nullable, pk: c.Marker == Marker.Pk))
            .Order(StringComparer.Ordinal)
            .ToList();

        var actual = (await SqliteRaw.QueryAsync(
                Database.ConnectionString,
                """SELECT name, type, "notnull", pk FROM pragma_table_info($table)""",
                ("$table", table)))
            .Select(r => Describe((string)r["name"]!, (string)r["type"]!, (long)r["notnull"]! == 1, (long)r["pk"]! > 0))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task A_project_inserted_without_is_active_is_active()
    {
        var owner = await CreateUserAsync();
        await SqliteRaw.ExecuteAsync(
            Database.ConnectionString,
            """
            INSERT INTO projects (id, user_id, name, source, created_at)
            VALUES ('0197F2A0-0000-7000-8000-000000000001', $user, 'Raw', 'remote', '2025-01-01 00:00:00')
            """,
            ("$user", owner.Id));

        var isActive = await SqliteRaw.ScalarAsync(Database.ConnectionString, "SELECT is_active FROM projects");

        Assert.Equal(1L, isActive);
    }

    [Fact]
    public async Task Every_erd_foreign_key_exists_with_its_delete_rule()
    {
        // Children of a shave go with it; nothing else cascades (SQL Server allows one cascade path per row, and
        // users, projects and video files are never deleted from under a shave). user_activities.user_id has no
        // foreign key on purpose: the audit trail outlives the user.
        string[] expected =
        [
            "ai_logs.process_step_id -> process_steps.id ON DELETE NO ACTION",
            "ai_logs.shave_id -> shaves.id ON DELETE CASCADE",
            "process_steps.shave_id -> shaves.id ON DELETE CASCADE",
            "projects.user_id -> users.id ON DELETE NO ACTION",
            "shaves.project_id -> projects.id ON DELETE NO ACTION",
            "shaves.requester_id -> users.id ON DELETE NO ACTION",
            "shaves.video_file_id -> video_files.id ON DELETE NO ACTION",
            "tool_calls.ai_log_id -> ai_logs.id ON DELETE NO ACTION",
            "tool_calls.process_step_id -> process_steps.id ON DELETE NO ACTION",
            "tool_calls.shave_id -> shaves.id ON DELETE CASCADE",
            "transcripts.shave_id -> shaves.id ON DELETE CASCADE",
            "user_activities.shave_id -> shaves.id ON DELETE CASCADE",
        ];

        var actual = new List<string>();
        foreach (var table in Erd.Keys)
        {
            var rows = await SqliteRaw.QueryAsync(
                Database.ConnectionString,
                """SELECT "table", "from", "to", on_delete FROM pragma_foreign_key_list($table)""",
                ("$table", table));
            actual.AddRange(rows.Select(r => $"{table}.{r["from"]} -> {r["table"]}.{r["to"]} ON DELETE {r["on_delete"]}"));
        }

        Assert.Equal(expected, actual.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_indexes_the_lists_and_lookups_need_exist()
    {
        string[] required =
        [
            "shaves(created_at, id)",
            "shaves(shave_status, created_at, id)",
            "shaves(project_id, created_at, id)",
            "shaves(requester_id, created_at, id)",
            "process_steps(shave_id, started_at)",
            "ai_logs(shave_id, created_at)",
            "ai_logs(model_name, created_at)",
            "tool_calls(shave_id, created_at)",
            "tool_calls(tool_name, created_at)",
            "UNIQUE tool_calls(shave_id, tool_call_id)",
            "transcripts(shave_id, created_at)",
            "user_activities(shave_id, created_at)",
            "video_files(file_hash)",
        ];

        var actual = new List<string>();
        foreach (var table in Erd.Keys)
        {
            var indexes = await SqliteRaw.QueryAsync(
                Database.ConnectionString,
                """SELECT name, "unique" FROM pragma_index_list($table)""",
                ("$table", table));
            foreach (var index in indexes)
            {
                var columns = await SqliteRaw.QueryAsync(
                    Database.ConnectionString,
                    "SELECT name FROM pragma_index_info($index) ORDER BY seqno",
                    ("$index", index["name"]));
                var unique = (long)index["unique"]! == 1 ? "UNIQUE " : "";
                actual.Add($"{unique}{table}({string.Join(", ", columns.Select(c => c["name"]))})");
            }
        }

        // An index serves every query its leading columns serve: a wider one (with covering columns after these) counts.
        var missing = required.Where(r => !actual.Any(a =>
            a.StartsWith(r[..^1], StringComparison.Ordinal) && (a.Length == r.Length || a[r.Length - 1] == ','))).ToList();
        Assert.True(missing.Count == 0, "No index starts with: " + string.Join("; ", missing));
    }

    private static string SqliteType(string erdType) => erdType switch
    {
        // Ids and timestamps are strings in the design; EF stores Guid and DateTime as TEXT on SQLite.
        "string" => "TEXT",
        "int" or "boolean" => "INTEGER",
        _ => throw new ArgumentOutOfRangeException(nameof(erdType), erdType, null),
    };

    private static string Describe(string name, string type, bool notNull, bool pk) =>
        string.Create(CultureInfo.InvariantCulture, $"{name} {type} {(notNull ? "NOT NULL" : "NULL")}{(pk ? " PK" : "")}");
}
