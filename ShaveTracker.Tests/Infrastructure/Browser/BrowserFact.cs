using System.ComponentModel;
using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace ShaveTracker.Tests.Infrastructure.Browser;

/// <summary>
/// A test that drives Chromium. When it fails, each page it opened is kept open until the failure is known, then
/// saved (screenshot, HTML, the page's console and the server log written meanwhile) under
/// <c>browser-failures/</c> in the test output folder; the path is printed with the failure.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("ShaveTracker.Tests.Infrastructure.Browser.BrowserFactDiscoverer", "ShaveTracker.Tests")]
public sealed class BrowserFactAttribute : FactAttribute;

/// <summary>A <see cref="BrowserFactAttribute"/> with data rows.</summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("ShaveTracker.Tests.Infrastructure.Browser.BrowserTheoryDiscoverer", "ShaveTracker.Tests")]
public sealed class BrowserTheoryAttribute : TheoryAttribute;

public sealed class BrowserFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        [new BrowserTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod)];
}

public sealed class BrowserTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    protected override IEnumerable<IXunitTestCase> CreateTestCasesForDataRow(ITestFrameworkDiscoveryOptions discoveryOptions,
        ITestMethod testMethod, IAttributeInfo theoryAttribute, object[] dataRow) =>
        [new BrowserTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, dataRow)];
}

/// <summary>
/// Runs the test inside a <see cref="BrowserTestScope"/>, which is ended as soon as the test method has run (see
/// <see cref="BrowserTestInvoker"/>) and learns at the very end whether the test failed after that.
/// </summary>
public sealed class BrowserTestCase : XunitTestCase
{
    [EditorBrowsable(EditorBrowsableState.Never)]
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public BrowserTestCase()
    {
    }

    public BrowserTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay defaultMethodDisplay,
        TestMethodDisplayOptions defaultMethodDisplayOptions, ITestMethod testMethod, object[]? testMethodArguments = null)
        : base(diagnosticMessageSink, defaultMethodDisplay, defaultMethodDisplayOptions, testMethod, testMethodArguments)
    {
    }

    public override async Task<RunSummary> RunAsync(IMessageSink diagnosticMessageSink, IMessageBus messageBus,
        object[] constructorArguments, ExceptionAggregator aggregator, CancellationTokenSource cancellationTokenSource)
    {
        await using var scope = BrowserTestScope.Begin(DisplayName);
        var summary = await new BrowserTestCaseRunner(this, DisplayName, SkipReason, constructorArguments, TestMethodArguments, messageBus, aggregator,
            cancellationTokenSource).RunAsync();
        scope.Failed = summary.Failed > 0;
        return summary;
    }
}

internal sealed class BrowserTestCaseRunner(IXunitTestCase testCase, string displayName, string skipReason, object[] constructorArguments,
    object[] testMethodArguments, IMessageBus messageBus, ExceptionAggregator aggregator, CancellationTokenSource cancellationTokenSource)
    : XunitTestCaseRunner(testCase, displayName, skipReason, constructorArguments, testMethodArguments, messageBus, aggregator, cancellationTokenSource)
{
    protected override XunitTestRunner CreateTestRunner(ITest test, IMessageBus messageBus, Type testClass, object[] constructorArguments,
        MethodInfo testMethod, object[] testMethodArguments, string skipReason, IReadOnlyList<BeforeAfterTestAttribute> beforeAfterAttributes,
        ExceptionAggregator aggregator, CancellationTokenSource cancellationTokenSource) =>
        new BrowserTestRunner(test, messageBus, testClass, constructorArguments, testMethod, testMethodArguments, skipReason, beforeAfterAttributes,
            aggregator, cancellationTokenSource);
}

internal sealed class BrowserTestRunner(ITest test, IMessageBus messageBus, Type testClass, object[] constructorArguments, MethodInfo testMethod,
    object[] testMethodArguments, string skipReason, IReadOnlyList<BeforeAfterTestAttribute> beforeAfterAttributes, ExceptionAggregator aggregator,
    CancellationTokenSource cancellationTokenSource)
    : XunitTestRunner(test, messageBus, testClass, constructorArguments, testMethod, testMethodArguments, skipReason, beforeAfterAttributes, aggregator,
        cancellationTokenSource)
{
    protected override Task<decimal> InvokeTestMethodAsync(ExceptionAggregator aggregator) =>
        new BrowserTestInvoker(Test, MessageBus, TestClass, ConstructorArguments, TestMethod, TestMethodArguments, BeforeAfterAttributes, aggregator,
            CancellationTokenSource).RunAsync();
}

/// <summary>
/// Ends the test's <see cref="BrowserTestScope"/> once the test method has run, before its class is disposed: a failed
/// test's pages are saved while the app behind them still runs, and every browser context is closed before an app the
/// class started stops (a page still connected to it would hold its shutdown for the host's whole timeout).
/// </summary>
internal sealed class BrowserTestInvoker(ITest test, IMessageBus messageBus, Type testClass, object[] constructorArguments, MethodInfo testMethod,
    object[] testMethodArguments, IReadOnlyList<BeforeAfterTestAttribute> beforeAfterAttributes, ExceptionAggregator aggregator,
    CancellationTokenSource cancellationTokenSource)
    : XunitTestInvoker(test, messageBus, testClass, constructorArguments, testMethod, testMethodArguments, beforeAfterAttributes, aggregator,
        cancellationTokenSource)
{
    protected override async Task AfterTestMethodInvokedAsync()
    {
        await base.AfterTestMethodInvokedAsync();
        if (BrowserTestScope.Current is { } scope)
        {
            var failed = Aggregator.HasExceptions;
            await Aggregator.RunAsync(() => scope.EndAsync(failed));
        }
    }
}
