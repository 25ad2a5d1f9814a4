/** The lane's cash drawer, whichever way it is wired. */
export interface CashDrawer {
  /** Fires the drawer's solenoid now; false if it cannot be reached. */
  open(): boolean;
}
