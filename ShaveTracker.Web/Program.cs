using ShaveTracker.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddShaveTracker();

var app = builder.Build();
app.UseShaveTracker();
await app.InitializeShaveTrackerAsync();
await app.RunAsync();

/// <summary>The entry point, public so that WebApplicationFactory&lt;Program&gt; can host the app in tests.</summary>
public partial class Program;
