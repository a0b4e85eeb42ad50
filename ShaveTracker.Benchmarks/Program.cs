using ShaveTracker.Benchmarks;

// dotnet run -c Release --project ShaveTracker.Benchmarks -- generate <db> <shaves>
if (args.Length >= 3 && args[0] == "generate")
{
    await new Generator(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture)).RunAsync();
    return 0;
}

Console.Error.WriteLine("usage: generate <db-file> <shaves>");
return 2;
