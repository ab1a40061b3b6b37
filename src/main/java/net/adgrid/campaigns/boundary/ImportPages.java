package net.adgrid.campaigns.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.adgrid.accounts.boundary.PageAccess;
import net.adgrid.accounts.control.Caller;
import net.adgrid.accounts.control.CurrentCaller;
import net.adgrid.accounts.entity.Account;
import net.adgrid.accounts.entity.Role;
import net.adgrid.campaigns.control.CsvImport;

/** The bulk import page: campaigns or creatives from a CSV file, with a report per row. */
@Named
@RequestScoped
public class ImportPages {

  @Inject CurrentCaller currentCaller;
  @Inject CsvImport csvImport;
  @Inject FacesContext faces;
  @PersistenceContext EntityManager em;

  private String what = "campaigns";
  private Part file;
  private CsvImport.Report report;

  public boolean requireAccess() throws IOException {
    return PageAccess.allow(
        faces, currentCaller, "Importing campaigns is for advertisers.", Role.ADVERTISER);
  }

  public void upload() throws IOException {
    Caller caller = currentCaller.require(Role.ADVERTISER);
    if (file == null || file.getSize() == 0) {
      message(FacesMessage.SEVERITY_ERROR, "Choose a CSV file.");
      return;
    }
    if (file.getSize() > CsvImport.MAX_BYTES) {
      message(FacesMessage.SEVERITY_ERROR, "A file may be at most 1 MiB; split it.");
      return;
    }
    String text;
    try (InputStream in = file.getInputStream()) {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(in.readAllBytes()))
              .toString();
    } catch (CharacterCodingException e) {
      message(FacesMessage.SEVERITY_ERROR, "The file is not UTF-8 text; save it as CSV (UTF-8).");
      return;
    }
    report =
        "creatives".equals(what)
            ? csvImport.creatives(caller, text)
            : csvImport.campaigns(
                caller, em.find(Account.class, caller.accountId()).timeZone(), text);
    if (report.ok()) {
      message(
          FacesMessage.SEVERITY_INFO,
          "Imported "
              + report.imported()
              + ("creatives".equals(what)
                  ? " creatives; they wait for review."
                  : " campaigns as drafts."));
    } else {
      message(
          FacesMessage.SEVERITY_ERROR,
          "Nothing was imported: the file has "
              + report.errors().size()
              + " problem(s), listed below. Fix them and send the whole file again.");
    }
  }

  private void message(FacesMessage.Severity severity, String text) {
    faces.addMessage(null, new FacesMessage(severity, text, null));
  }

  public List<CsvImport.RowError> getErrors() {
    return report == null ? List.of() : report.errors();
  }

  public String getWhat() {
    return what;
  }

  public void setWhat(String what) {
    this.what = what;
  }

  public Part getFile() {
    return file;
  }

  public void setFile(Part file) {
    this.file = file;
  }
}
