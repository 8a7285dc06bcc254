using BoundaryGuard.Core.Calendars;
using NUnit.Framework;

namespace BoundaryGuard.Core.Tests.Calendars;

public class ClosureFilterTests
{
    private static readonly string[] Holidays = ["Holidays"];
    private static readonly string[] NoCategories = [];

    [Test]
    public void All_AnyEvent_Closes()
    {
        Assert.That(ClosureFilter.All.Closes("Exam deadline", null, NoCategories), Is.True);
    }

    [Test]
    public void Create_NoListsAtAll_IsAll()
    {
        Assert.That(ClosureFilter.Create(null, null, null, null, null, null), Is.SameAs(ClosureFilter.All));
    }

    [Test]
    public void Create_IncludeWithOnlyEmptyAndBlankLists_RestrictsNothing()
    {
        var filter = ClosureFilter.Create([], ["  "], [], null, null, null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(filter.Include, Is.Null);
            Assert.That(filter.Closes("Anything", null, NoCategories), Is.True);
        }
    }

    [TestCase("holidays", true)]
    [TestCase("HOLIDAYS", true)]
    [TestCase("Holiday", false)]
    public void Closes_IncludeByCategory_MatchesWholeCategoryIgnoringCase(string category, bool expected)
    {
        var filter = ClosureFilter.Create([category], null, null, null, null, null);

        Assert.That(filter.Closes("New Year's Day", null, Holidays), Is.EqualTo(expected));
    }

    [Test]
    public void Closes_IncludeByText_MatchesSummaryOrDescriptionIgnoringCase()
    {
        var filter = ClosureFilter.Create(null, ["federal holiday"], null, null, null, null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(filter.Closes("Thanksgiving Day", "Federal Holiday - Thanksgiving Day in the United States", Holidays), Is.True);
            Assert.That(filter.Closes("Federal Holiday: Juneteenth", null, NoCategories), Is.True);
            Assert.That(filter.Closes("Kansas Day (Kansas)", "State Observance - Kansas Day", Holidays), Is.False);
        }
    }

    [Test]
    public void Closes_IncludeBySummaryList_MatchesWholeSummaryOnly()
    {
        var filter = ClosureFilter.Create(null, null, ["Labor Day Holiday", "Spring Term Final Examinations"], null, null, null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(filter.Closes("labor day holiday", null, NoCategories), Is.True);
            Assert.That(filter.Closes("Spring Term Final Examinations ", null, NoCategories), Is.True);
            Assert.That(filter.Closes("Labor Day Holiday Eve", null, NoCategories), Is.False);
            Assert.That(filter.Closes(null, "Labor Day Holiday", NoCategories), Is.False);
        }
    }

    [Test]
    public void Closes_AnyIncludeCriterion_IsEnough()
    {
        var filter = ClosureFilter.Create(["Public Holiday"], ["Recess"], ["Reading Period Begins"], null, null, null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(filter.Closes("Anzac Day", null, ["Public Holiday"]), Is.True);
            Assert.That(filter.Closes("Fall Recess Begins", null, NoCategories), Is.True);
            Assert.That(filter.Closes("Reading Period Begins", null, NoCategories), Is.True);
            Assert.That(filter.Closes("Course Change Deadline", null, NoCategories), Is.False);
        }
    }

    [Test]
    public void Closes_ExcludeMatches_WinsOverInclude()
    {
        var filter = ClosureFilter.Create(["Holidays"], null, null, null, ["Observance"], ["Halloween"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(filter.Closes("Independence Day", "Federal Holiday", Holidays), Is.True);
            Assert.That(filter.Closes("Kansas Day", "State Observance - Kansas Day", Holidays), Is.False);
            Assert.That(filter.Closes("HALLOWEEN", null, Holidays), Is.False);
        }
    }

    [Test]
    public void Closes_ExcludeWithoutInclude_ClosesEverythingElse()
    {
        var filter = ClosureFilter.Create(null, null, null, ["Observance"], null, null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(filter.Include, Is.Null);
            Assert.That(filter.Closes("Christmas", null, Holidays), Is.True);
            Assert.That(filter.Closes("Valentine's Day", null, ["observance"]), Is.False);
        }
    }
}
