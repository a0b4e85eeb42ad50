using System.Globalization;
using ShaveTracker.Benchmarks;

// dotnet run -c Release --project ShaveTracker.Benchmarks -- generate <db> <shaves>
// dotnet run -c Release --project ShaveTracker.Benchmarks -- run <db> <label> [only measurements containing this]
// dotnet run -c Release --project ShaveTracker.Benchmarks -- soak <db> [--minutes 5] [--api-clients 4] [--circuits 20] [--pace-ms 100] [--replay-percent 10] [--outage-seconds 30] [--outage-at-minutes 15] [--label name]
// dotnet run -c Release --project ShaveTracker.Benchmarks -- report   (RESULTS.md again from results/)
// dotnet run -c Release --project ShaveTracker.Benchmarks -- trace-filter [runs]   (the trace's filters at 100,000 records, in memory)
// dotnet run -c Release --project ShaveTracker.Benchmarks -- index <db>   (adds the explorer's payload search index to an existing database)
if (args.Length >= 3 && args[0] == "generate")
{
    await new Generator(args[1], int.Parse(args[2], CultureInfo.InvariantCulture)).RunAsync();
    return 0;
}

// dotnet run -c Release --project ShaveTracker.Benchmarks -- add-long-shave <db>   (the 100,000-record shave, into an older database)
if (args.Length == 2 && args[0] == "add-long-shave")
{
    await Generator.AddLongShaveAsync(args[1]);
    return 0;
}

if (args.Length == 2 && args[0] == "index")
{
    return await SearchIndex.RunAsync(args[1]);
}

if (args.Length >= 2 && args[0] == "run")
{
    return await Bench.RunAsync(args[1], args.Length > 2 ? args[2] : Path.GetFileNameWithoutExtension(args[1]), args.Length > 3 ? args[3] : null);
}

if (args.Length >= 5 && args[0] == "load")
{
    return await Load.RunAsync(args[1], new Uri(args[2]), args[3], TimeSpan.FromSeconds(int.Parse(args[4], CultureInfo.InvariantCulture)));
}

if (args.Length >= 1 && args[0] == "trace-filter")
{
    return TraceFilterBench.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 21);
}

if (args.Length == 1 && args[0] == "report")
{
    ShaveTracker.Benchmarks.Report.Rewrite();
    return 0;
}

if (args.Length >= 2 && args[0] == "soak")
{
    return await Soak.RunAsync(args[1], SoakOptions.Parse(args[2..]));
}

// The circuit measurement's server, started by "run".
if (args.Length >= 2 && args[0] == "serve")
{
    return await ServerProcess.ServeAsync(args[1]);
}

// The soak's second process, started by "soak".
if (args.Length >= 9 && args[0] == "soak-load")
{
    var n = args[3..8].Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
    return await SoakLoad.RunAsync(new Uri(args[1]), args[2], TimeSpan.FromSeconds(n[0]), n[1], n[2], n[3], n[4], args[8]);
}

Console.Error.WriteLine("usage: generate <db-file> <shaves> | index <db-file> | run <db-file> <label> | soak <db-file> [--minutes 5] [--api-clients 4] [--circuits 20]");
return 2;
