using Microsoft.Data.Sqlite;

namespace ShaveTracker.Benchmarks;

/// <summary>
/// Takes the SQLite database away from the server in this process for a while, as a lost volume or a failed-over
/// server would: the pooled connections are closed and the file (with its -wal and -shm) is moved aside, so every new
/// connection fails (the server opens it with Mode=ReadWrite, which does not create a missing file); then the files
/// come back. A connection that was in the middle of a command keeps its open file and finishes it, as it would
/// against a server that goes away between commands.
/// </summary>
internal static class DatabaseOutage
{
    public static async Task<(DateTime Start, DateTime End)> RunAsync(string dbPath, TimeSpan length)
    {
        var files = new[] { dbPath, dbPath + "-wal", dbPath + "-shm" };
        SqliteConnection.ClearAllPools();
        var start = DateTime.UtcNow;
        var moved = new List<string>();
        foreach (var file in files.Where(File.Exists))
        {
            File.Move(file, file + ".away");
            moved.Add(file);
        }

        Console.WriteLine($"  database away at {start:HH:mm:ss} UTC ({string.Join(", ", moved.Select(Path.GetFileName))}) for {length.TotalSeconds:N0} s");
        await Task.Delay(length);
        SqliteConnection.ClearAllPools();
        foreach (var file in moved)
        {
            // A connection that was busy when the file went may have left a new, empty -wal or -shm in its place.
            File.Move(file + ".away", file, overwrite: true);
        }

        var end = DateTime.UtcNow;
        Console.WriteLine($"  database back at {end:HH:mm:ss} UTC");
        return (start, end);
    }
}
