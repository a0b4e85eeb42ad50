using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShaveTracker.Data;

namespace ShaveTracker.Web.Infrastructure;

public static class DatabaseRegistration
{
    public const string ConnectionStringName = "ShaveTracker";

    /// <summary>
    /// Registers <c>IDbContextFactory&lt;ShaveTrackerDbContext&gt;</c> for the configured provider, and keeps the
    /// data-protection key ring in that database. The provider is needed while services are being registered, so it
    /// is validated here, before the app is built: a wrong <c>Database:Provider</c> stops the app with a message
    /// naming the setting.
    /// </summary>
    public static WebApplicationBuilder AddShaveTrackerDatabase(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(DatabaseOptions.SectionName);
        var providerText = section["Provider"];
        DatabaseProvider provider;
        if (string.IsNullOrWhiteSpace(providerText))
        {
            provider = DatabaseProvider.Sqlite;
        }
        else if (!Enum.TryParse(providerText, ignoreCase: true, out provider) || !Enum.IsDefined(provider) ||
                 int.TryParse(providerText, out _))
        {
            throw new OptionsValidationException(
                "Database:Provider",
                typeof(DatabaseOptions),
                [$"Database:Provider is '{providerText}'; it must be 'Sqlite' or 'SqlServer'."]);
        }

        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new OptionsValidationException(
                "ConnectionStrings:ShaveTracker",
                typeof(DatabaseOptions),
                ["ConnectionStrings:ShaveTracker is missing; set it to the database's connection string."]);
        }

        builder.Services.AddOptions<DatabaseOptions>()
            .Bind(section)
            .Configure(o => o.Provider = provider)
            .ValidateOnStart();

        if (provider == DatabaseProvider.Sqlite)
        {
            var sqlite = ResolveSqlitePath(connectionString, builder.Environment.ContentRootPath);
            builder.Services.AddDbContextFactory<SqliteShaveTrackerDbContext>(o => o.UseShaveTrackerSqlite(sqlite));
            builder.Services.AddSingleton<IDbContextFactory<ShaveTrackerDbContext>>(sp =>
                new ProviderDbContextFactory<SqliteShaveTrackerDbContext>(
                    sp.GetRequiredService<IDbContextFactory<SqliteShaveTrackerDbContext>>()));
            builder.AddShaveTrackerDataProtection<SqliteShaveTrackerDbContext>();
        }
        else
        {
            builder.Services.AddDbContextFactory<SqlServerShaveTrackerDbContext>(o => o.UseShaveTrackerSqlServer(connectionString));
            builder.Services.AddSingleton<IDbContextFactory<ShaveTrackerDbContext>>(sp =>
                new ProviderDbContextFactory<SqlServerShaveTrackerDbContext>(
                    sp.GetRequiredService<IDbContextFactory<SqlServerShaveTrackerDbContext>>()));
            builder.AddShaveTrackerDataProtection<SqlServerShaveTrackerDbContext>();
        }

        builder.Services.AddScoped<DatabaseInitializer>();
        return builder;
    }

    /// <summary>
    /// A relative SQLite file is placed under the content root (not the shell's working directory), and its folder
    /// is created, so `dotnet run` from any folder uses the same database.
    /// </summary>
    internal static string ResolveSqlitePath(string connectionString, string contentRoot)
    {
        var csb = new SqliteConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(csb.DataSource) && csb.DataSource != ":memory:" && csb.Mode != SqliteOpenMode.Memory)
        {
            var path = Path.IsPathRooted(csb.DataSource) ? csb.DataSource : Path.Combine(contentRoot, csb.DataSource);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            csb.DataSource = path;
        }

        return csb.ToString();
    }

    private sealed class ProviderDbContextFactory<TContext>(IDbContextFactory<TContext> inner)
        : IDbContextFactory<ShaveTrackerDbContext>
        where TContext : ShaveTrackerDbContext
    {
        public ShaveTrackerDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<ShaveTrackerDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await inner.CreateDbContextAsync(cancellationToken);
    }
}
