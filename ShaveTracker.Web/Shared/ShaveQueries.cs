using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;

namespace ShaveTracker.Web.Shared;

/// <summary>Read rules more than one feature (and the write path's answers) use.</summary>
public static class ShaveQueries
{
    /// <summary>A shave's steps in the order the pipeline ran them (start time, then id for a stable order).</summary>
    public static IQueryable<ProcessStep> StepsInOrder(this ShaveTrackerDbContext db, Guid shaveId)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.ProcessSteps.AsNoTracking()
            .Where(p => p.ShaveId == shaveId)
            .OrderBy(p => p.StartedAt).ThenBy(p => p.Id);
    }
}
