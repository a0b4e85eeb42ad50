using System.Globalization;
using ShaveTracker.Benchmarks;

// dotnet run -c Release --project ShaveTracker.Benchmarks -- generate <db> <shaves>
// dotnet run -c Release --project ShaveTracker.Benchmarks -- run <db> <label> [only measurements containing this]
if (args.Length >= 3 && args[0] == "generate")
{
    await new Generator(args[1], int.Parse(args[2], CultureInfo.InvariantCulture)).RunAsync();
    return 0;
}

if (args.Length >= 2 && args[0] == "run")
{
    return await Bench.RunAsync(args[1], args.Length > 2 ? args[2] : Path.GetFileNameWithoutExtension(args[1]), args.Length > 3 ? args[3] : null);
}

if (args.Length >= 5 && args[0] == "load")
{
    return await Load.RunAsync(args[1], new Uri(args[2]), args[3], TimeSpan.FromSeconds(int.Parse(args[4], CultureInfo.InvariantCulture)));
}

Console.Error.WriteLine("usage: generate <db-file> <shaves> | run <db-file> <label>");
return 2;
