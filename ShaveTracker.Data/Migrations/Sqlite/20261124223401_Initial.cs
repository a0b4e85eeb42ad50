using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShaveTracker.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    auth_provider = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    display_name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_users", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "video_files",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    file_name = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    file_path = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    file_hash = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    duration = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_video_files", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "local_accounts",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    user_name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    password_hash = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    failed_sign_in_count = table.Column<int>(type: "INTEGER", nullable: false),
                    lockout_ends_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_local_accounts", x => x.user_id);
                    table.ForeignKey(
                        name: "fk_local_accounts_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "projects",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    backlog_url = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    is_active = table.Column<bool>(type: "INTEGER", nullable: false, defaultValue: true),
                    source = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    custom_prompt = table.Column<string>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_projects", x => x.id);
                    table.ForeignKey(
                        name: "fk_projects_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id");
                });

            migrationBuilder.CreateTable(
                name: "user_roles",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    role = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    granted_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    granted_by = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_roles", x => new { x.user_id, x.role });
                    table.ForeignKey(
                        name: "fk_user_roles_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_sign_ins",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    last_sign_in_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    sign_in_count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_sign_ins", x => x.user_id);
                    table.ForeignKey(
                        name: "fk_user_sign_ins_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "shaves",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    title = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    video_file_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    requester_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    project_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    shave_status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    work_item_url = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    work_item_source = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    video_embed_url = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_shaves", x => x.id);
                    table.ForeignKey(
                        name: "fk_shaves_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id");
                    table.ForeignKey(
                        name: "fk_shaves_users_requester_id",
                        column: x => x.requester_id,
                        principalTable: "users",
                        principalColumn: "id");
                    table.ForeignKey(
                        name: "fk_shaves_video_files_video_file_id",
                        column: x => x.video_file_id,
                        principalTable: "video_files",
                        principalColumn: "id");
                });

            migrationBuilder.CreateTable(
                name: "process_steps",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    shave_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    step_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    process_status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    started_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    completed_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    error_message = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_process_steps", x => x.id);
                    table.ForeignKey(
                        name: "fk_process_steps_shaves_shave_id",
                        column: x => x.shave_id,
                        principalTable: "shaves",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "transcripts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    shave_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    text = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_transcripts", x => x.id);
                    table.ForeignKey(
                        name: "fk_transcripts_shaves_shave_id",
                        column: x => x.shave_id,
                        principalTable: "shaves",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_activities",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    shave_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    activity_type = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    target_table = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    target_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    details_json = table.Column<string>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_activities", x => x.id);
                    table.ForeignKey(
                        name: "fk_user_activities_shaves_shave_id",
                        column: x => x.shave_id,
                        principalTable: "shaves",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ai_logs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    shave_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    process_step_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    model_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    prompt_text = table.Column<string>(type: "TEXT", nullable: true),
                    response_text = table.Column<string>(type: "TEXT", nullable: true),
                    duration_ms = table.Column<int>(type: "INTEGER", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ai_logs", x => x.id);
                    table.ForeignKey(
                        name: "fk_ai_logs_process_steps_process_step_id",
                        column: x => x.process_step_id,
                        principalTable: "process_steps",
                        principalColumn: "id");
                    table.ForeignKey(
                        name: "fk_ai_logs_shaves_shave_id",
                        column: x => x.shave_id,
                        principalTable: "shaves",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "tool_calls",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    shave_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    process_step_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    ai_log_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    tool_call_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    tool_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    service_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    args_json = table.Column<string>(type: "TEXT", nullable: true),
                    result_json = table.Column<string>(type: "TEXT", nullable: true),
                    success = table.Column<bool>(type: "INTEGER", nullable: false),
                    duration_ms = table.Column<int>(type: "INTEGER", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tool_calls", x => x.id);
                    table.ForeignKey(
                        name: "fk_tool_calls_ai_logs_ai_log_id",
                        column: x => x.ai_log_id,
                        principalTable: "ai_logs",
                        principalColumn: "id");
                    table.ForeignKey(
                        name: "fk_tool_calls_process_steps_process_step_id",
                        column: x => x.process_step_id,
                        principalTable: "process_steps",
                        principalColumn: "id");
                    table.ForeignKey(
                        name: "fk_tool_calls_shaves_shave_id",
                        column: x => x.shave_id,
                        principalTable: "shaves",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_ai_logs_model_name_created_at",
                table: "ai_logs",
                columns: new[] { "model_name", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_ai_logs_process_step_id",
                table: "ai_logs",
                column: "process_step_id");

            migrationBuilder.CreateIndex(
                name: "ix_ai_logs_shave_id_created_at",
                table: "ai_logs",
                columns: new[] { "shave_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ux_local_accounts_user_name",
                table: "local_accounts",
                column: "user_name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_process_steps_shave_id_started_at",
                table: "process_steps",
                columns: new[] { "shave_id", "started_at" });

            migrationBuilder.CreateIndex(
                name: "ix_projects_name",
                table: "projects",
                column: "name");

            migrationBuilder.CreateIndex(
                name: "ix_projects_user_id",
                table: "projects",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_shaves_created_at_id",
                table: "shaves",
                columns: new[] { "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_shaves_project_id_created_at_id",
                table: "shaves",
                columns: new[] { "project_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_shaves_requester_id_created_at_id",
                table: "shaves",
                columns: new[] { "requester_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_shaves_shave_status_created_at_id",
                table: "shaves",
                columns: new[] { "shave_status", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ux_shaves_video_file_id",
                table: "shaves",
                column: "video_file_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_tool_calls_ai_log_id",
                table: "tool_calls",
                column: "ai_log_id");

            migrationBuilder.CreateIndex(
                name: "ix_tool_calls_process_step_id",
                table: "tool_calls",
                column: "process_step_id");

            migrationBuilder.CreateIndex(
                name: "ix_tool_calls_shave_id_created_at",
                table: "tool_calls",
                columns: new[] { "shave_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_tool_calls_tool_name_created_at",
                table: "tool_calls",
                columns: new[] { "tool_name", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ux_tool_calls_shave_id_tool_call_id",
                table: "tool_calls",
                columns: new[] { "shave_id", "tool_call_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_transcripts_shave_id_created_at",
                table: "transcripts",
                columns: new[] { "shave_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_user_activities_shave_id_created_at",
                table: "user_activities",
                columns: new[] { "shave_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_video_files_file_hash",
                table: "video_files",
                column: "file_hash");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "local_accounts");

            migrationBuilder.DropTable(
                name: "tool_calls");

            migrationBuilder.DropTable(
                name: "transcripts");

            migrationBuilder.DropTable(
                name: "user_activities");

            migrationBuilder.DropTable(
                name: "user_roles");

            migrationBuilder.DropTable(
                name: "user_sign_ins");

            migrationBuilder.DropTable(
                name: "ai_logs");

            migrationBuilder.DropTable(
                name: "process_steps");

            migrationBuilder.DropTable(
                name: "shaves");

            migrationBuilder.DropTable(
                name: "projects");

            migrationBuilder.DropTable(
                name: "video_files");

            migrationBuilder.DropTable(
                name: "users");
        }
    }
}
