package net.adgrid.cluster.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpSession;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.adgrid.cluster.control.GridMembers;
import net.adgrid.cluster.control.GridMembers.GridMember;
import net.adgrid.cluster.control.PageViewCounter;
import net.adgrid.cluster.entity.PageViews;
import net.adgrid.platform.NodeIdentity;

/**
 * The home page: the serving node, the grid, this visitor's visit count (kept in the HTTP session,
 * which the grid replicates, so it survives the loss of the node) and the cluster-wide page-view
 * count.
 */
@Named
@RequestScoped
public class HomePage {

  private static final Logger LOG = Logger.getLogger(HomePage.class.getName());
  static final String VISITS = "adgrid.visits";

  @Inject NodeIdentity node;
  @Inject GridMembers grid;
  @Inject PageViewCounter pageViews;
  @Inject HttpSession session;

  private int visits;
  private Long clusterViews;
  private List<GridMember> members;

  /** Runs once per GET of the page, before it renders. */
  public void countVisit() {
    Integer before = (Integer) session.getAttribute(VISITS);
    visits = before == null ? 1 : before + 1;
    // Set, not mutate: a changed attribute is what the session store replicates.
    session.setAttribute(VISITS, visits);
    try {
      clusterViews = pageViews.countView(PageViews.HOME);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not count a home page view", e);
      clusterViews = null;
    }
  }

  public String getNode() {
    return node.name();
  }

  public String getVersion() {
    return node.version();
  }

  public int getVisits() {
    return visits;
  }

  public Long getClusterViews() {
    return clusterViews;
  }

  public List<GridMember> getMembers() {
    if (members == null) {
      members = grid.members();
    }
    return members;
  }

  public String getGridName() {
    return grid.clusterName();
  }
}
