IF OBJECT_ID(N'[__ef_migrations_history]') IS NULL
BEGIN
    CREATE TABLE [__ef_migrations_history] (
        [MigrationId] nvarchar(150) NOT NULL,
        [ProductVersion] nvarchar(32) NOT NULL,
        CONSTRAINT [PK___ef_migrations_history] PRIMARY KEY ([MigrationId])
    );
END;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE TABLE [users] (
        [id] uniqueidentifier NOT NULL,
        [auth_provider] nvarchar(32) NOT NULL,
        [display_name] nvarchar(256) NOT NULL,
        [created_at] datetime2 NOT NULL,
        CONSTRAINT [pk_users] PRIMARY KEY ([id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE TABLE [video_files] (
        [id] uniqueidentifier NOT NULL,
        [file_name] nvarchar(512) NOT NULL,
        [file_path] nvarchar(2048) NULL,
        [file_hash] nvarchar(128) NULL,
        [duration] int NOT NULL,
        [created_at] datetime2 NOT NULL,
        CONSTRAINT [pk_video_files] PRIMARY KEY ([id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE TABLE [local_accounts] (
        [user_id] uniqueidentifier NOT NULL,
        [user_name] nvarchar(256) NOT NULL,
        [password_hash] nvarchar(512) NOT NULL,
        [failed_sign_in_count] int NOT NULL,
        [lockout_ends_at] datetime2 NULL,
        CONSTRAINT [pk_local_accounts] PRIMARY KEY ([user_id]),
        CONSTRAINT [fk_local_accounts_users_user_id] FOREIGN KEY ([user_id]) REFERENCES [users] ([id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE TABLE [projects] (
        [id] uniqueidentifier NOT NULL,
        [user_id] uniqueidentifier NOT NULL,
        [name] nvarchar(200) NOT NULL,
        [description] nvarchar(4000) NULL,
        [backlog_url] nvarchar(2048) NULL,
        [is_active] bit NOT NULL DEFAULT CAST(1 AS bit),
        [source] nvarchar(32) NOT NULL,
        [custom_prompt] nvarchar(max) NULL,
        [created_at] datetime2 NOT NULL,
        [updated_at] datetime2 NULL,
        CONSTRAINT [pk_projects] PRIMARY KEY ([id]),
        CONSTRAINT [fk_projects_users_user_id] FOREIGN KEY ([user_id]) REFERENCES [users] ([id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE TABLE [user_roles] (
        [user_id] uniqueidentifier NOT NULL,
        [role] nvarchar(64) NOT NULL,
        [granted_at] datetime2 NOT NULL,
        [granted_by] uniqueidentifier NULL,
        CONSTRAINT [pk_user_roles] PRIMARY KEY ([user_id], [role]),
        CONSTRAINT [fk_user_roles_users_user_id] FOREIGN KEY ([user_id]) REFERENCES [users] ([id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE TABLE [user_sign_ins] (
        [user_id] uniqueidentifier NOT NULL,
        [last_sign_in_at] datetime2 NOT NULL,
        [sign_in_count] int NOT NULL,
        CONSTRAINT [pk_user_sign_ins] PRIMARY KEY ([user_id]),
        CONSTRAINT [fk_user_sign_ins_users_user_id] FOREIGN KEY ([user_id]) REFERENCES [users] ([id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE TABLE [shaves] (
        [id] uniqueidentifier NOT NULL,
        [title] nvarchar(500) NOT NULL,
        [video_file_id] uniqueidentifier NOT NULL,
        [requester_id] uniqueidentifier NOT NULL,
        [project_id] uniqueidentifier NULL,
        [shave_status] nvarchar(32) NOT NULL,
        [work_item_url] nvarchar(2048) NULL,
        [work_item_source] nvarchar(100) NOT NULL,
        [video_embed_url] nvarchar(2048) NULL,
        [created_at] datetime2 NOT NULL,
        [updated_at] datetime2 NULL,
        CONSTRAINT [pk_shaves] PRIMARY KEY ([id]),
        CONSTRAINT [fk_shaves_projects_project_id] FOREIGN KEY ([project_id]) REFERENCES [projects] ([id]),
        CONSTRAINT [fk_shaves_users_requester_id] FOREIGN KEY ([requester_id]) REFERENCES [users] ([id]),
        CONSTRAINT [fk_shaves_video_files_video_file_id] FOREIGN KEY ([video_file_id]) REFERENCES [video_files] ([id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE TABLE [process_steps] (
        [id] uniqueidentifier NOT NULL,
        [shave_id] uniqueidentifier NOT NULL,
        [step_name] nvarchar(100) NOT NULL,
        [process_status] nvarchar(32) NOT NULL,
        [started_at] datetime2 NOT NULL,
        [completed_at] datetime2 NULL,
        [error_message] nvarchar(max) NULL,
        CONSTRAINT [pk_process_steps] PRIMARY KEY ([id]),
        CONSTRAINT [fk_process_steps_shaves_shave_id] FOREIGN KEY ([shave_id]) REFERENCES [shaves] ([id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE TABLE [transcripts] (
        [id] uniqueidentifier NOT NULL,
        [shave_id] uniqueidentifier NOT NULL,
        [text] nvarchar(max) NOT NULL,
        [created_at] datetime2 NOT NULL,
        CONSTRAINT [pk_transcripts] PRIMARY KEY ([id]),
        CONSTRAINT [fk_transcripts_shaves_shave_id] FOREIGN KEY ([shave_id]) REFERENCES [shaves] ([id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE TABLE [user_activities] (
        [id] uniqueidentifier NOT NULL,
        [shave_id] uniqueidentifier NOT NULL,
        [user_id] uniqueidentifier NULL,
        [activity_type] nvarchar(100) NOT NULL,
        [target_table] nvarchar(100) NULL,
        [target_id] uniqueidentifier NULL,
        [details_json] nvarchar(max) NULL,
        [created_at] datetime2 NOT NULL,
        CONSTRAINT [pk_user_activities] PRIMARY KEY ([id]),
        CONSTRAINT [fk_user_activities_shaves_shave_id] FOREIGN KEY ([shave_id]) REFERENCES [shaves] ([id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE TABLE [ai_logs] (
        [id] uniqueidentifier NOT NULL,
        [shave_id] uniqueidentifier NOT NULL,
        [process_step_id] uniqueidentifier NULL,
        [model_name] nvarchar(200) NOT NULL,
        [prompt_text] nvarchar(max) NULL,
        [response_text] nvarchar(max) NULL,
        [duration_ms] int NULL,
        [created_at] datetime2 NOT NULL,
        CONSTRAINT [pk_ai_logs] PRIMARY KEY ([id]),
        CONSTRAINT [fk_ai_logs_process_steps_process_step_id] FOREIGN KEY ([process_step_id]) REFERENCES [process_steps] ([id]),
        CONSTRAINT [fk_ai_logs_shaves_shave_id] FOREIGN KEY ([shave_id]) REFERENCES [shaves] ([id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE TABLE [tool_calls] (
        [id] uniqueidentifier NOT NULL,
        [shave_id] uniqueidentifier NOT NULL,
        [process_step_id] uniqueidentifier NULL,
        [ai_log_id] uniqueidentifier NULL,
        [tool_call_id] nvarchar(200) NOT NULL,
        [tool_name] nvarchar(200) NOT NULL,
        [service_name] nvarchar(200) NOT NULL,
        [args_json] nvarchar(max) NULL,
        [result_json] nvarchar(max) NULL,
        [success] bit NOT NULL,
        [duration_ms] int NULL,
        [created_at] datetime2 NOT NULL,
        CONSTRAINT [pk_tool_calls] PRIMARY KEY ([id]),
        CONSTRAINT [fk_tool_calls_ai_logs_ai_log_id] FOREIGN KEY ([ai_log_id]) REFERENCES [ai_logs] ([id]),
        CONSTRAINT [fk_tool_calls_process_steps_process_step_id] FOREIGN KEY ([process_step_id]) REFERENCES [process_steps] ([id]),
        CONSTRAINT [fk_tool_calls_shaves_shave_id] FOREIGN KEY ([shave_id]) REFERENCES [shaves] ([id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE INDEX [ix_ai_logs_model_name_created_at] ON [ai_logs] ([model_name], [created_at]);
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE INDEX [ix_ai_logs_process_step_id] ON [ai_logs] ([process_step_id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE INDEX [ix_ai_logs_shave_id_created_at] ON [ai_logs] ([shave_id], [created_at]);
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [ux_local_accounts_user_name] ON [local_accounts] ([user_name]);
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE INDEX [ix_process_steps_shave_id_started_at] ON [process_steps] ([shave_id], [started_at]);
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE INDEX [ix_projects_name] ON [projects] ([name]);
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE INDEX [ix_projects_user_id] ON [projects] ([user_id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE INDEX [ix_shaves_created_at_id] ON [shaves] ([created_at], [id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE INDEX [ix_shaves_project_id_created_at_id] ON [shaves] ([project_id], [created_at], [id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE INDEX [ix_shaves_requester_id_created_at_id] ON [shaves] ([requester_id], [created_at], [id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE INDEX [ix_shaves_shave_status_created_at_id] ON [shaves] ([shave_status], [created_at], [id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [ux_shaves_video_file_id] ON [shaves] ([video_file_id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE INDEX [ix_tool_calls_ai_log_id] ON [tool_calls] ([ai_log_id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE INDEX [ix_tool_calls_process_step_id] ON [tool_calls] ([process_step_id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE INDEX [ix_tool_calls_shave_id_created_at] ON [tool_calls] ([shave_id], [created_at]);
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE INDEX [ix_tool_calls_tool_name_created_at] ON [tool_calls] ([tool_name], [created_at]);
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [ux_tool_calls_shave_id_tool_call_id] ON [tool_calls] ([shave_id], [tool_call_id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE INDEX [ix_transcripts_shave_id_created_at] ON [transcripts] ([shave_id], [created_at]);
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE INDEX [ix_user_activities_shave_id_created_at] ON [user_activities] ([shave_id], [created_at]);
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    CREATE INDEX [ix_video_files_file_hash] ON [video_files] ([file_hash]);
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124223410_Initial'
)
BEGIN
    INSERT INTO [__ef_migrations_history] ([MigrationId], [ProductVersion])
    VALUES (N'20261124223410_Initial', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124225607_ApiKeys'
)
BEGIN
    CREATE TABLE [api_keys] (
        [id] uniqueidentifier NOT NULL,
        [name] nvarchar(200) NOT NULL,
        [key_prefix] nvarchar(16) NOT NULL,
        [key_hash] nvarchar(64) NOT NULL,
        [created_at] datetime2 NOT NULL,
        [created_by] uniqueidentifier NULL,
        [revoked_at] datetime2 NULL,
        [last_used_at] datetime2 NULL,
        CONSTRAINT [pk_api_keys] PRIMARY KEY ([id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124225607_ApiKeys'
)
BEGIN
    CREATE UNIQUE INDEX [ux_api_keys_key_hash] ON [api_keys] ([key_hash]);
END;

IF NOT EXISTS (
    SELECT * FROM [__ef_migrations_history]
    WHERE [MigrationId] = N'20261124225607_ApiKeys'
)
BEGIN
    INSERT INTO [__ef_migrations_history] ([MigrationId], [ProductVersion])
    VALUES (N'20261124225607_ApiKeys', N'10.0.15');
END;

COMMIT;
GO

