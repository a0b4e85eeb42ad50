using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Components.Shared;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Shaves.Trace;

public sealed partial class ShaveTrace
{
    /// <summary>Every row is this tall (px): the list is windowed and scrolled by index.</summary>
    public const int RowHeight = 32;

    /// <summary>Rows rendered above and below the ones in view, so a scroll of a screen or less needs no round trip.</summary>
    private const int Overscan = 30;

    /// <summary>The most rows a browser may say are in view (a very tall window); bounds what one report can render.</summary>
    private const int MaxViewRows = 200;

    /// <summary>How often the trace of a shave still running reads itself again (on the page's clock).</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    /// <summary>How long the search waits after the last keystroke before it narrows the list (Enter does it at once).</summary>
    public static readonly TimeSpan SearchDelay = TimeSpan.FromMilliseconds(150);

    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    [Parameter, EditorRequired]
    public Guid ShaveId { get; set; }

    /// <summary>The open record (or step), from the URL.</summary>
    [Parameter]
    public Guid? Record { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthState { get; set; } = default!;

    private Caller? _caller;
    private Guid _loadedShaveId;
    private TraceSkeleton? _skeleton;
    private readonly List<TraceLine> _lines = [];
    private TraceCounts _counts;

    // How the list is narrowed and zoomed: what the URL says (it is read from the URL on every navigation).
    private TraceView _view = TraceView.All;
    private TraceWindow _window;
    private TraceChoices _choices = TraceChoices.None;
    private string? _text;
    private CancellationTokenSource? _typing;
    private ElementReference _axis;
    private IJSObjectReference? _axisDrag;
    private bool _listening;
    private readonly HashSet<Guid> _collapsed = [];
    private Guid? _cursor;
    private Guid? _openId;
    private bool _notFound;
    private bool _scrollPending;
    private bool _centerScroll;
    private ElementReference _scroll;
    private IJSObjectReference? _module;
    private IJSObjectReference? _keys;

    // The row window: the first row in view and how many fit, as the browser last said (a guess until it does), and
    // the list element it watches (the element is new when the list was gone for a moment: no rows, another shave).
    // The window is this component's own rather than the framework's Virtualize: Virtualize's disposal calls the
    // browser and lets a timed-out call (a CPU-starved browser) end the whole circuit; this one's disposal is quiet.
    private int _viewFirst;
    private int _viewCount = 24;
    private IJSObjectReference? _rows;
    private string? _rowsWatched;
    private DotNetObjectReference<ShaveTrace>? _self;
    private readonly CancellationTokenSource _life = new();
    private bool _disposed;
    private Task? _refreshLoop;

    protected override async Task OnParametersSetAsync()
    {
        // Read again with each new authentication state: a tab whose admin role was removed loses the trace.
        _caller = Caller.From((await AuthState).User);
        if (_caller is null)
        {
            _notFound = true;
            return;
        }

        if (!RendererInfo.IsInteractive)
        {
            // Prerendering would read the skeleton only to throw it away when the circuit starts: show the
            // progress bar until then.
            return;
        }

        if (!_listening)
        {
            // Filters and zoom live in the URL; the page above re-renders this component only for the record.
            _listening = true;
            Navigation.LocationChanged += OnLocationChanged;
        }

        var view = TraceView.Parse(Navigation.Uri);
        if (_skeleton is null || _loadedShaveId != ShaveId)
        {
            _view = view;
            _text = view.Text;
        }

        if (_loadedShaveId != ShaveId)
        {
            _loadedShaveId = ShaveId;
            _skeleton = null;
            _collapsed.Clear();
            _cursor = null;
            _openId = null;
            await LoadAsync();
            if (_skeleton is not null && Record is null)
            {
                // Start where the admin most likely wants to look: the step that failed (or, narrowed, the first match).
                _cursor = _skeleton.Groups.FirstOrDefault(g => g.Step?.Status == ProcessStatus.Failed)?.Step?.Id;
                KeepCursorShown();
                RequestScroll(center: true);
            }
        }
        else if (_skeleton is not null && view != _view)
        {
            ApplyView(view);
        }

        if (_skeleton is not null && Record != _openId)
        {
            _openId = Record is { } id && Exists(id) ? id : null;
            if (_openId is { } open)
            {
                var expanded = false;
                foreach (var ancestor in TraceLayout.AncestorsOf(_skeleton, open))
                {
                    expanded |= _collapsed.Remove(ancestor);
                }

                if (expanded)
                {
                    Relayout();
                }

                if (_cursor != open)
                {
                    _cursor = open;
                    RequestScroll(center: true);
                }
            }
        }

        KeepOpenRecordShown();
    }

    /// <summary>Back, forward, or a filter set here: the URL's view is applied (the record is the page's parameter).</summary>
    private void OnLocationChanged(object? sender, LocationChangedEventArgs e)
    {
        if (_disposed || _skeleton is null)
        {
            return;
        }

        var view = TraceView.Parse(e.Location);
        if (view == _view)
        {
            return;
        }

        _ = InvokeAsync(() =>
        {
            if (_disposed)
            {
                return;
            }

            ApplyView(view);
            KeepOpenRecordShown();
            StateHasChanged();
        });
    }

    private void ApplyView(TraceView view)
    {
        _view = view;
        _text = view.Text;
        var cursor = _cursor;
        Relayout();
        KeepCursorShown();
        if (_cursor != cursor || cursor is not null)
        {
            RequestScroll(center: true);
        }
    }

    /// <summary>The cursor stays on a row that is shown: its step when the row itself is filtered out, else the first match.</summary>
    private void KeepCursorShown()
    {
        if (_skeleton is null || (_cursor is { } c && IndexOf(c) >= 0))
        {
            return;
        }

        var ancestor = _cursor is { } hidden ? TraceLayout.AncestorsOf(_skeleton, hidden).Reverse().FirstOrDefault(a => IndexOf(a) >= 0) : (Guid?)null;
        _cursor = ancestor is { } a && a != Guid.Empty ? a
            : _lines.Count == 0 ? null
            : _lines.FindIndex(l => l.Matches) is var m and >= 0 ? _lines[m].Id : _lines[0].Id;
    }

    /// <summary>The open record is always a row of the list: a view that hides it closes the panel (in the same history entry).</summary>
    private void KeepOpenRecordShown()
    {
        if (_openId is { } open && _skeleton is not null && IndexOf(open) < 0 && !_view.IsEmpty)
        {
            _openId = null;
            Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("record", (string?)null), replace: true);
        }
    }

    private int IndexOf(Guid id)
    {
        var lines = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_lines);
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Id == id)
            {
                return i;
            }
        }

        return -1;
    }

    private TraceLine? CursorLine => _cursor is { } c && IndexOf(c) is var i and >= 0 ? _lines[i] : null;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        try
        {
            await StartKeysAndScrollAsync();
        }
        catch (JSException) when (_disposed)
        {
            // The page was left while these calls were on their way: the list they address is no longer in the
            // document. Nothing to do for a trace nobody looks at (and the next page must not get the error).
        }
        catch (JSDisconnectedException)
        {
            // The browser is gone; the circuit goes with it.
        }
        catch (OperationCanceledException)
        {
            // A call timed out (a browser starved of CPU) or the page is closing. An exception from here would end the
            // whole circuit; what did not start is tried again after another render.
            if (!_disposed)
            {
                StateHasChanged();
            }
        }
    }

    private async Task StartKeysAndScrollAsync()
    {
        if (_keys is null && _skeleton is not null)
        {
            _module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./Features/Shaves/Trace/ShaveTrace.razor.js");
            _self ??= DotNetObjectReference.Create(this);
            _keys = await _module.InvokeAsync<IJSObjectReference>("listen", _self);
            if (_lines.Count > 0)
            {
                // Keys go to the list, not to the tab that was just clicked (Enter on a focused tab is the tab's).
                await _scroll.FocusAsync(preventScroll: true);
            }

            StateHasChanged(); // data-keys="on": the shortcuts work from now on
        }

        if (_module is not null && _axisDrag is null && _skeleton is not null)
        {
            _axisDrag = await _module.InvokeAsync<IJSObjectReference>("watchAxis", _axis, _self);
        }

        if (_module is not null && _lines.Count > 0 && _rowsWatched != _scroll.Id)
        {
            await StopWatchingRowsAsync();
            _rows = await _module.InvokeAsync<IJSObjectReference>("watchRows", _scroll, _self, RowHeight);
            _rowsWatched = _scroll.Id;
        }
        else if (_lines.Count == 0 && _rows is not null)
        {
            await StopWatchingRowsAsync();
        }

        if (_scrollPending && _module is not null && _cursor is { } cursor)
        {
            _scrollPending = false;
            var index = IndexOf(cursor);
            if (index >= 0 && _lines.Count > 0)
            {
                await _module.InvokeVoidAsync("scrollToRow", _scroll, index, RowHeight, _centerScroll);
            }
        }
    }

    private async Task StopWatchingRowsAsync()
    {
        var rows = _rows;
        _rows = null;
        _rowsWatched = null;
        if (rows is not null)
        {
            await JsCleanup.QuietlyAsync(async () =>
            {
                await rows.InvokeVoidAsync("dispose");
                await rows.DisposeAsync();
            });
        }
    }

    /// <summary>The rows to render, [first, end): those in view and <see cref="Overscan"/> either side.</summary>
    private (int First, int End) RowWindow()
    {
        // A report from before the list shrank (a filter, a zoom) can name rows past its end: the view is its last rows.
        var viewFirst = Math.Min(_viewFirst, Math.Max(0, _lines.Count - _viewCount));
        var first = Math.Clamp(viewFirst - Overscan, 0, _lines.Count);
        var end = Math.Clamp(viewFirst + _viewCount + Overscan, first, _lines.Count);
        return (first, end);
    }

    /// <summary>The browser's view of the list moved near the edge of the rendered rows (or the list was resized).</summary>
    [JSInvokable]
    public void OnTraceView(int first, int count)
    {
        first = Math.Max(0, first);
        count = Math.Clamp(count, 1, MaxViewRows);
        if (_disposed || (first == _viewFirst && count == _viewCount))
        {
            return;
        }

        _viewFirst = first;
        _viewCount = count;
        StateHasChanged();
    }

    private async Task LoadAsync()
    {
        var skeleton = await Trace.GetSkeletonAsync(_caller!, ShaveId, _life.Token);
        if (skeleton is null)
        {
            _notFound = true;
            return;
        }

        _skeleton = skeleton;
        _choices = TraceChoices.Of(skeleton);
        _notFound = false;
        Relayout();
        StartRefreshingWhileRunning();
        // A report about this shave (a step, a log, a tool call) reloads the skeleton within a moment; the timer
        // above only keeps running bars growing towards "now".
        if (_subscription is null)
        {
            var refresher = new CoalescingRefresher(() => InvokeAsync(RefreshAsync), Clock);
            _subscription = Changes.Subscribe(ShaveId, _ => refresher.RequestAsync());
        }
    }

    private IDisposable? _subscription;

    /// <summary>Rows come from the new data, the same collapsed ids and the URL's view: what was open stays open.</summary>
    private void Relayout()
    {
        if (_skeleton is not null)
        {
            _window = TraceWindow.Of(_skeleton, _view);
            _counts = TraceLayout.Flatten(_skeleton, _collapsed, _view, _lines);
            // Fewer rows (collapsed, or a refresh): the browser's scroll position shrinks with the list, so does the view.
            _viewFirst = Math.Clamp(_viewFirst, 0, Math.Max(0, _lines.Count - _viewCount));
        }
    }

    private bool Exists(Guid id) =>
        _skeleton is { } s && (s.FindRecord(id) is not null || s.FindStep(id) is not null);

    private bool IsRunning =>
        _skeleton is { } s && (s.Shave.Status is ShaveStatus.Processing or ShaveStatus.Pending || s.Groups.Any(g => g.Step?.IsRunning == true));

    private void StartRefreshingWhileRunning()
    {
        if (_refreshLoop is null && IsRunning)
        {
            _refreshLoop = RefreshWhileRunningAsync();
        }
    }

    private async Task RefreshWhileRunningAsync()
    {
        using var timer = new PeriodicTimer(RefreshInterval, Clock);
        try
        {
            while (await timer.WaitForNextTickAsync(_life.Token) && IsRunning)
            {
                await InvokeAsync(RefreshAsync);
            }
        }
        catch (OperationCanceledException)
        {
            // The component went away.
        }
        finally
        {
            _refreshLoop = null;
        }
    }

    private async Task RefreshAsync()
    {
        // A report can be on its way while the reader leaves the trace: by the time it runs, there is nothing to refresh.
        if (_caller is null || _disposed)
        {
            return;
        }

        try
        {
            var skeleton = await Trace.GetSkeletonAsync(_caller, ShaveId, _life.Token);
            // The reader may have left while it loaded: a closed circuit's services are gone, so nothing is rendered.
            if (skeleton is not null && !_disposed)
            {
                _skeleton = skeleton;
                _choices = TraceChoices.Of(skeleton);
                Relayout();
                StateHasChanged();
            }
        }
        catch (OperationCanceledException) when (_disposed)
        {
            // The reader left while it loaded.
        }
    }

    private void Toggle(Guid id)
    {
        if (!_collapsed.Remove(id))
        {
            _collapsed.Add(id);
        }

        Relayout();
    }

    private void ExpandAll()
    {
        _collapsed.Clear();
        Relayout();
    }

    private void CollapseAll()
    {
        foreach (var group in _skeleton!.Groups)
        {
            _collapsed.Add(group.Key);
        }

        Relayout();
        if (_cursor is { } c && IndexOf(c) < 0)
        {
            _cursor = TraceLayout.AncestorsOf(_skeleton, c).FirstOrDefault();
        }
    }

    /// <summary>
    /// Opening goes through the URL; <see cref="OnParametersSetAsync"/> then moves the cursor and the panel. A record the
    /// filters hide (a link in the panel) opens with the filters cleared, so that it is a row of the list.
    /// </summary>
    private Task OpenAsync(Guid id)
    {
        if (IndexOf(id) < 0 && _view.IsFiltered)
        {
            var query = _view.WithoutFilters().WithoutZoom().ToQuery();
            query["record"] = id.ToString();
            Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(query));
            return Task.CompletedTask;
        }

        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("record", id.ToString()), replace: true);
        return Task.CompletedTask;
    }

    // ---- Narrowing and zooming: each change is a new URL (a history entry), applied when it arrives --------------

    private void Show(TraceView view, bool replace = false)
    {
        if (view != _view)
        {
            Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(view.ToQuery()), replace: replace);
        }
    }

    private void ToggleFailures() => Show(_view with { FailuresOnly = !_view.FailuresOnly });

    private void OnKindChanged(string? kind) => Show(_view with { Kind = TraceView.KindOf(kind) });

    private void OnModelChanged(string? model) => Show(_view with { Model = string.IsNullOrEmpty(model) ? null : model });

    private void OnToolChanged(string? tool) => Show(_view with { Tool = string.IsNullOrEmpty(tool) ? null : tool });

    private void ClearFilters() => Show(_view.WithoutFilters());

    private void ClearAll() => Show(TraceView.All);

    private void ResetZoom() => Show(_view.WithoutZoom());

    /// <summary>Typing narrows the list once the keys pause (<see cref="SearchDelay"/>), not on every key.</summary>
    private void OnTextInput(string? text)
    {
        _text = text;
        _typing?.Cancel();
        _typing?.Dispose();
        if (string.IsNullOrEmpty(text))
        {
            _typing = null;
            CommitText(); // clearing the box shows everything at once
            return;
        }

        _typing = new CancellationTokenSource();
        _ = CommitLaterAsync(_typing.Token);
    }

    private async Task CommitLaterAsync(CancellationToken ct)
    {
        try
        {
            await Task.Delay(SearchDelay, Clock, ct);
            await InvokeAsync(CommitText);
        }
        catch (OperationCanceledException)
        {
            // Another key came first.
        }
    }

    private void OnSearchKey(KeyboardEventArgs e)
    {
        if (e.Key == "Enter")
        {
            _typing?.Cancel();
            CommitText();
        }
    }

    private void CommitText()
    {
        if (_disposed)
        {
            return;
        }

        // A new search is a history entry; refining it replaces that entry, so Back leaves the search in one step.
        var text = TraceView.Normalize(_text);
        Show(_view with { Text = text }, replace: _view.Text is not null && text is not null);
    }

    /// <summary>The zoom covers the row's time (a step and everything in it), with a little room either side.</summary>
    private Task ZoomToAsync(TraceLine line)
    {
        if (_skeleton is null)
        {
            return Task.CompletedTask;
        }

        var start = (line.Start - _skeleton.Shave.CreatedAt).TotalMilliseconds;
        var end = (line.End - _skeleton.Shave.CreatedAt).TotalMilliseconds;
        var margin = Math.Max(1, (end - start) * 0.02);
        _cursor = line.Id;
        Show(_view.ZoomedTo((long)Math.Floor(start - margin), (long)Math.Ceiling(end + margin)));
        return Task.CompletedTask;
    }

    private Task ZoomToCursor() => CursorLine is { } line ? ZoomToAsync(line) : Task.CompletedTask;

    /// <summary>A range dragged across the axis, as fractions of the window drawn.</summary>
    [JSInvokable]
    public void OnAxisRange(double from, double to)
    {
        if (_disposed || _skeleton is null || double.IsNaN(from) || double.IsNaN(to))
        {
            return;
        }

        from = Math.Clamp(Math.Min(from, to), 0, 1);
        to = Math.Clamp(Math.Max(from, to), 0, 1);
        var origin = _skeleton.Shave.CreatedAt;
        var length = _window.Length.TotalMilliseconds;
        var start = (_window.Start - origin).TotalMilliseconds + (from * length);
        var end = (_window.Start - origin).TotalMilliseconds + (to * length);
        _ = InvokeAsync(() => Show(_view.ZoomedTo((long)Math.Floor(start), (long)Math.Ceiling(end))));
    }

    private string ZoomText => _skeleton is null ? "" :
        $"Zoomed to {TraceLayout.Offset(_window.Start - _skeleton.Shave.CreatedAt)} – {TraceLayout.Offset(_window.End - _skeleton.Shave.CreatedAt)} ({Format.Elapsed(_window.Length)})";

    private Task CloseAsync()
    {
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("record", (string?)null), replace: true);
        return Task.CompletedTask;
    }

    private void RequestScroll(bool center)
    {
        _scrollPending = true;
        _centerScroll = center;
        // The row is rendered in the same batch as the scroll that brings it into view (the browser places it as
        // scrollToRow does), so it is there when the list gets there, not a round trip later.
        var index = _cursor is { } c ? IndexOf(c) : -1;
        if (index >= 0 && (index < _viewFirst || index >= _viewFirst + _viewCount))
        {
            _viewFirst = center ? Math.Max(0, index - _viewCount / 2)
                : index < _viewFirst ? index
                : Math.Max(0, index - _viewCount + 1);
        }
    }

    [JSInvokable]
    public async Task OnTraceKey(string key)
    {
        if (_skeleton is null || _lines.Count == 0)
        {
            return;
        }

        var index = _cursor is { } c ? IndexOf(c) : -1;
        switch (key)
        {
            case "j":
            case "k":
                var next = index < 0 ? 0 : Math.Clamp(index + (key == "j" ? 1 : -1), 0, _lines.Count - 1);
                _cursor = _lines[next].Id;
                RequestScroll(center: false);
                if (_openId is not null)
                {
                    // With the panel open, moving also opens: reading record after record is the common case.
                    await OpenAsync(_lines[next].Id);
                }

                break;
            case "Enter" when _cursor == TraceLayout.UnattachedId:
                Toggle(TraceLayout.UnattachedId); // a group, not a record: Enter opens or closes it
                break;
            case "Enter" when _cursor is { } cursor:
                await OpenAsync(cursor);
                break;
            case "Escape" when _openId is not null:
                await CloseAsync();
                break;
            case "Escape" when _view.IsZoomed:
                ResetZoom();
                break;
            case "z":
                await ZoomToCursor();
                break;
            default:
                return;
        }

        StateHasChanged();
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        if (_listening)
        {
            Navigation.LocationChanged -= OnLocationChanged;
        }

        _typing?.Cancel();
        _typing?.Dispose();
        _subscription?.Dispose();
        await _life.CancelAsync();
        _life.Dispose();
        if (_keys is { } keys)
        {
            await JsCleanup.QuietlyAsync(async () =>
            {
                await keys.InvokeVoidAsync("dispose");
                await keys.DisposeAsync();
            });
        }

        await StopWatchingRowsAsync();
        if (_axisDrag is { } drag)
        {
            await JsCleanup.QuietlyAsync(async () =>
            {
                await drag.InvokeVoidAsync("dispose");
                await drag.DisposeAsync();
            });
        }

        if (_module is { } module)
        {
            await JsCleanup.QuietlyAsync(module.DisposeAsync);
        }

        _self?.Dispose();
    }
}
