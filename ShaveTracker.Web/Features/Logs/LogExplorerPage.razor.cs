using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Components.Shared;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Logs;

public sealed partial class LogExplorerPage
{
    [CascadingParameter]
    private Task<AuthenticationState> AuthState { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "tab")] private string? TabParam { get; set; }
    [SupplyParameterFromQuery(Name = "model")] private string? ModelParam { get; set; }
    [SupplyParameterFromQuery(Name = "tool")] private string? ToolParam { get; set; }
    [SupplyParameterFromQuery(Name = "service")] private string? ServiceParam { get; set; }
    [SupplyParameterFromQuery(Name = "success")] private string? SuccessParam { get; set; }
    // Numbers arrive as text: a typed int parameter would fail the whole page on "page=abc" instead of ignoring it.
    [SupplyParameterFromQuery(Name = "minMs")] private string? MinMsParam { get; set; }
    [SupplyParameterFromQuery(Name = "minCost")] private string? MinCostParam { get; set; }
    [SupplyParameterFromQuery(Name = "from")] private string? FromParam { get; set; }
    [SupplyParameterFromQuery(Name = "to")] private string? ToParam { get; set; }
    [SupplyParameterFromQuery(Name = "project")] private string? ProjectParam { get; set; }
    [SupplyParameterFromQuery(Name = "status")] private string? StatusParam { get; set; }
    [SupplyParameterFromQuery(Name = "q")] private string? SearchParam { get; set; }
    [SupplyParameterFromQuery(Name = "sort")] private string? SortParam { get; set; }
    [SupplyParameterFromQuery(Name = "dir")] private string? DirParam { get; set; }
    [SupplyParameterFromQuery(Name = "page")] private string? PageParam { get; set; }
    [SupplyParameterFromQuery(Name = "size")] private string? SizeParam { get; set; }

    /// <summary>The explorer's answer to a search for a masked value, said where the search is typed.</summary>
    public const string SecretSearchRule =
        "Secrets in these texts are shown masked, and searches that look like one (a token prefix such as ghp_ or sk-, or a key such as password= or sig=) are not run.";

    public const string SearchRule =
        "Words (all of them), \"a phrase\" or a word's start*, in every call of all time, newest recorded first; the days, the other filters and the sort apply once the search is cleared. A call is searchable a few seconds after it is recorded.";

    public const string SecretSearchRefusal =
        "This search looks like a secret or the start of one, so it was not run: masked values cannot be searched for. Search for the words around it instead.";

    [Inject] private PersistentComponentState ApplicationState { get; set; } = default!;

    /// <summary>
    /// The first page as the server rendered it (and the circuit got with the page): shown until the grid, which only
    /// loads once the page is interactive, has its own rows, so that the rows are on screen with the page's first
    /// paint rather than after the circuit has started.
    /// </summary>
    internal sealed record FirstPage(string View, LogKind Kind, IReadOnlyList<AiLogRow> AiLogs, IReadOnlyList<ToolCallRow> ToolCalls);

    private const string FirstPageKey = "log-explorer-first-page";
    private FirstPage? _firstPage;
    private bool _gridLoaded;
    private PersistingComponentStateSubscription _persisting;

    private bool ShowFirstPage => !_gridLoaded && _firstPage is { } first && first.AiLogs.Count + first.ToolCalls.Count > 0 &&
                                  first.View == LogExplorerUrl.ToQueryString(_query) && first.Kind == _query.Kind;

    private Caller _caller = default!;
    private LogQuery _query = new();
    private LogFilterOptions _options = new([], [], [], []);
    private string _gridKey = "";
    private object? _initialSort;
    private MudDataGrid<AiLogRow>? _aiGrid;
    private MudDataGrid<ToolCallRow>? _toolGrid;
    private string? _initialSortKey;
    private string? _lastLoadedUrl;
    private DateRange? _dateRange;
    private int? _total;
    private bool _totalIsLowerBound;
    private List<string> _notes = [];
    private string _window = "";
    private bool _searchRefused;
    private string? _searchError;

    /// <summary>Who is asking now: read for each operation, so that a role removed while the page stays open counts at once.</summary>
    private async Task<Caller> CallerNowAsync() => _caller = Caller.From((await AuthState).User) ?? throw new UnauthorizedAccessException();

    private string SearchLabel => _query.Kind == LogKind.AiLogs ? "Search prompts and responses" : "Search arguments and results";

    private bool Searching => _query.Search is not null;

    private bool SearchFailed => _searchRefused || _searchError is not null;

    private string? SearchErrorText => _searchError ?? (_searchRefused ? SecretSearchRefusal : null);

    private string SuccessValue => _query.Success switch { true => "true", false => "false", _ => "any" };

    private bool HasFilters => _query.Model is not null || _query.Tool is not null || _query.Service is not null || _query.Success is not null ||
                               _query.MinDurationMs is not null || _query.From is not null || _query.To is not null ||
                               _query.ProjectId is not null || _query.ShaveStatus is not null || _query.Search is not null;

    private string ClearUrl => LogExplorerUrl.ToUrl(new LogQuery { Kind = _query.Kind });

    protected override async Task OnInitializedAsync()
    {
        _caller = Caller.From((await AuthState).User) ?? throw new UnauthorizedAccessException();
        _options = await Logs.FilterOptionsAsync(_caller, Lifetime);
        _persisting = ApplicationState.RegisterOnPersisting(() =>
        {
            if (_firstPage is not null)
            {
                ApplicationState.PersistAsJson(FirstPageKey, _firstPage);
            }

            return Task.CompletedTask;
        });
        if (ApplicationState.TryTakeFromJson<FirstPage>(FirstPageKey, out var first))
        {
            _firstPage = first;
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        ApplyUrl();
        if (!RendererInfo.IsInteractive && _firstPage is null)
        {
            // Prerendering: the first page of this view, read as the grid will read it once the circuit is up.
            var view = LogExplorerUrl.ToQueryString(_query);
            if (_query.Kind == LogKind.AiLogs)
            {
                var page = await Logs.ListAiLogsAsync(_caller, _query, Lifetime);
                Loaded(page);
                _firstPage = new FirstPage(view, LogKind.AiLogs, page.Rows, []);
            }
            else
            {
                var page = await Logs.ListToolCallsAsync(_caller, _query, Lifetime);
                Loaded(page);
                _firstPage = new FirstPage(view, LogKind.ToolCalls, [], page.Rows);
            }
        }
    }

    protected override ValueTask DisposeCoreAsync()
    {
        _persisting.Dispose();
        return base.DisposeCoreAsync();
    }

    private void ApplyUrl()
    {
        _query = CurrentUrlQuery();
        _dateRange = _query.From is null && _query.To is null
            ? null
            : new DateRange(_query.From?.ToDateTime(TimeOnly.MinValue), _query.To?.ToDateTime(TimeOnly.MinValue));
        var url = LogExplorerUrl.ToQueryString(_query);
        // The URL changed from outside the grid (a filter, the tab, the back button): rebuild the grid from it. When
        // the grid itself changed page or sort it has already loaded that view, and the URL only caught up.
        if (url != _lastLoadedUrl)
        {
            _gridKey = url;
        }
    }

    private LogQuery CurrentUrlQuery() => LogExplorerUrl.Parse(TabParam, ModelParam, ToolParam, ServiceParam, SuccessParam,
        QueryNumber.Parse(MinMsParam), FromParam, ToParam, ProjectParam, StatusParam, SearchParam, SortParam, DirParam,
        QueryNumber.Parse(PageParam), QueryNumber.Parse(SizeParam), MinCostParam);

    /// <summary>
    /// The sort the grid starts with, read from the URL once per grid (the grid is rebuilt when the URL changes from
    /// outside it). Handed the same dictionary on every render: a new one would replace the grid's own sort behind
    /// its headers' back (they keep their arrow, the grid loads by the replaced sort), so a render that lands between
    /// a header click and the load it starts would show the arrow on one column and sort by another.
    /// </summary>
    private Dictionary<string, SortDefinition<TRow>> InitialSort<TRow>()
    {
        if (_initialSort is Dictionary<string, SortDefinition<TRow>> same && _initialSortKey == _gridKey)
        {
            return same;
        }

        var field = _query.Sort switch
        {
            LogSort.Duration => "DurationMs",
            LogSort.Name => _query.Kind == LogKind.AiLogs ? "ModelName" : "ToolName",
            LogSort.Cost => "CostUsd",
            _ => "CreatedAt",
        };
        // The key function is never used for server data; MudBlazor only needs the column and direction.
        var sort = new Dictionary<string, SortDefinition<TRow>> { [field] = new SortDefinition<TRow>(field, _query.Descending, 0, _ => field) };
        (_initialSort, _initialSortKey) = (sort, _gridKey);
        return sort;
    }

    /// <summary>The grid's page and sort, folded into the URL's view; the URL follows when they differ.</summary>
    private LogQuery FromGrid<TRow>(GridState<TRow> state)
    {
        var sort = state.SortDefinitions.FirstOrDefault();
        var query = _query with
        {
            Page = state.Page,
            PageSize = state.PageSize,
            Sort = sort?.SortBy switch
            {
                "DurationMs" => LogSort.Duration,
                "ModelName" or "ToolName" => LogSort.Name,
                "CostUsd" => LogSort.Cost,
                _ => LogSort.Created,
            },
            Descending = sort?.Descending ?? true,
        };
        _query = query;
        var url = LogExplorerUrl.ToQueryString(query);
        _lastLoadedUrl = url;
        if (LogExplorerUrl.ToQueryString(CurrentUrlQuery()) != url)
        {
            Navigation.NavigateTo(LogExplorerUrl.Path + url);
        }

        _total = null;
        return query;
    }

    private async Task<GridData<AiLogRow>> LoadAiLogsAsync(GridState<AiLogRow> state, CancellationToken ct)
    {
        var page = await Logs.ListAiLogsAsync(await CallerNowAsync(), FromGrid(state), ct);
        Loaded(page);
        ReloadIfSortMovedOn(_aiGrid, state);
        return new GridData<AiLogRow> { Items = page.Rows, TotalItems = page.PageableCount };
    }

    private async Task<GridData<ToolCallRow>> LoadToolCallsAsync(GridState<ToolCallRow> state, CancellationToken ct)
    {
        var page = await Logs.ListToolCallsAsync(await CallerNowAsync(), FromGrid(state), ct);
        Loaded(page);
        ReloadIfSortMovedOn(_toolGrid, state);
        return new GridData<ToolCallRow> { Items = page.Rows, TotalItems = page.PageableCount };
    }

    /// <summary>
    /// A header clicked while this load ran changed the grid's sort (its arrow and aria-sort) without a load of its
    /// own: the grid starts no second load while one is running, so the rows would stay in the order of this one. Load
    /// again, by the sort the grid shows, as soon as this load is in.
    /// </summary>
    private void ReloadIfSortMovedOn<TRow>(MudDataGrid<TRow>? grid, GridState<TRow> loaded)
    {
        var now = grid?.SortDefinitions.Values.FirstOrDefault();
        var then = loaded.SortDefinitions.FirstOrDefault();
        if (grid is null || (now?.SortBy == then?.SortBy && now?.Descending == then?.Descending))
        {
            return;
        }

        _ = InvokeAsync(async () =>
        {
            await Task.Yield();
            await grid.ReloadServerData();
        });
    }

    /// <summary>Says every bound that shaped this page, so that a short list is never mistaken for the whole story.</summary>
    private void Loaded<TRow>(LogPage<TRow> page)
    {
        if (RendererInfo.IsInteractive && !_gridLoaded)
        {
            // The server-rendered rows give way once the grid has rendered its own (it does so when this load has
            // returned them), so the page never shows "Loading" in between.
            _ = InvokeAsync(async () =>
            {
                await Task.Yield();
                _gridLoaded = true;
                StateHasChanged();
            });
        }

        _searchRefused = page.SearchRefused;
        _searchError = page.SearchError;
        _total = page.TotalCount;
        _totalIsLowerBound = page.TotalIsLowerBound;
        var window = page.AllTime ? "all time" : $"{Day(page.Window.From)} to {Day(page.Window.To)} (UTC)";
        var notes = new List<string>();
        if (page.Window.Shortened && !page.AllTime)
        {
            notes.Add($"Showing {window}: the explorer looks at {LogQuery.MaxWindowDays} days at most, so the start was moved.");
        }

        if (page.AllTime)
        {
            notes.Add("Showing matches of all time, newest recorded first: the days, the other filters and the sort do not apply to a search.");
        }

        if (page.Ranked)
        {
            notes.Add($"More than {LogQuery.RankLimit:N0} calls match: this order ranks the newest {LogQuery.RankLimit:N0} of them. " +
                      "Narrow the days or the filters to rank them all.");
        }

        _notes = notes;
        _window = window;
        StateHasChanged();
    }

    private string CountText(string noun)
    {
        if (_total is not { } total)
        {
            return "Counting…";
        }

        var count = _totalIsLowerBound ? $"More than {total:N0} {noun}s" : $"{total:N0} {noun}{(total == 1 ? "" : "s")}";
        return $"{count}, {_window}";
    }
}
