namespace ShaveTracker.Web.Features.DemoData;
public sealed class DemoOptions { public string Password { get; set; } = "Demo-Password-1"; }
public static class DemoAccounts { public const string AdminUserName = "admin@demo.local", StaffUserName = "staff@demo.local", AliceUserName = "alice@demo.local", BobUserName = "bob@demo.local"; }
